import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'smsBridge:publicRoute';

/**
 * Lets callers that are not on this machine reach a route. Every route is local-only
 * unless it says otherwise, so a forgotten decorator fails closed.
 */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);
