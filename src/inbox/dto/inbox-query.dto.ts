import { MessagePageQueryDto } from '../../common/message-page-query.dto';

export class InboxQueryDto extends MessagePageQueryDto {}
