import { Controller, Get, Header, Inject } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** Prometheus scrapes this from the machine itself: local-only like every unmarked route. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  render(): Promise<string> {
    return this.metrics.render();
  }
}
