import { Module } from '@nestjs/common';
import { OperatorSocket } from './operator-socket';

@Module({ providers: [OperatorSocket] })
export class LifecycleModule {}
