import { Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PortInUseError } from '../lifecycle/port-in-use.error';
import { MetricsService } from '../metrics/metrics.service';
import { TwilioSimulator } from './simulator/twilio-simulator';
import { TwilioAccountCheck } from './twilio-account.check';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioClient } from './twilio.client';
import { WebhookUrlCheck } from './webhook-url.check';
import { WebhookUrlRepository } from './webhook-url.repository';

/** The simulator the bridge runs for itself when it has no Twilio account, or null. */
export const BUILT_IN_SIMULATOR = Symbol('BUILT_IN_SIMULATOR');

async function startBuiltInSimulator(config: AppConfig): Promise<TwilioSimulator | null> {
  if (config.mode !== 'simulator') return null;
  const simulator = new TwilioSimulator({
    accountSid: config.twilio.accountSid,
    authToken: config.twilio.authToken,
    webhookUrl: `http://127.0.0.1:${config.port}/sms/webhook`,
  });
  // Status callbacks for the public URL reach the bridge directly, as if through Caddy,
  // which may not be there in development.
  if (config.publicBaseUrl) simulator.knobs.callbackOrigin = `http://127.0.0.1:${config.port}`;
  const url = await simulator.listen(config.simulatorPort).catch((error: unknown) => {
    throw PortInUseError.from(error, 'SMS_SIMULATOR_PORT');
  });
  new Logger('Twilio').warn(
    `SIMULATOR MODE: no Twilio credentials are configured, nothing real is sent or received. Simulated Twilio API at ${url}; fake an inbound text with POST ${url}/simulator/inbound; for real sends set TWILIO_* in ${config.envFile}`,
  );
  return simulator;
}

function logSender({ sender, twilio }: AppConfig): void {
  const { kind, phoneNumber, messagingServiceSid } = sender;
  new Logger('Twilio').log(
    kind === 'messaging_service'
      ? `Sending through Messaging Service ${messagingServiceSid}${phoneNumber ? ` from ${phoneNumber}` : ''}`
      : `Sending from ${phoneNumber}`,
  );
  new Logger('Twilio').log(
    twilio.statusCallbackUrl
      ? `Delivery status callbacks: ${twilio.statusCallbackUrl}`
      : 'No delivery status callbacks: SMS_PUBLIC_BASE_URL is not set',
  );
}

@Module({
  providers: [
    { provide: BUILT_IN_SIMULATOR, inject: [AppConfig], useFactory: startBuiltInSimulator },
    {
      provide: TwilioClient,
      inject: [AppConfig, BUILT_IN_SIMULATOR, MetricsService],
      useFactory: (
        config: AppConfig,
        simulator: TwilioSimulator | null,
        metrics: MetricsService,
      ) => {
        logSender(config);
        return new TwilioClient(
          simulator ? { ...config.twilio, apiBaseUrl: simulator.baseUrl } : config.twilio,
          metrics,
        );
      },
    },
    TwilioAccountCheck,
    WebhookUrlRepository,
    WebhookUrlCheck,
    TwilioSignatureGuard,
  ],
  exports: [
    TwilioClient,
    BUILT_IN_SIMULATOR,
    TwilioAccountCheck,
    WebhookUrlCheck,
    TwilioSignatureGuard,
  ],
})
export class TwilioModule implements OnApplicationShutdown {
  constructor(@Inject(BUILT_IN_SIMULATOR) private readonly simulator: TwilioSimulator | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.simulator?.close();
  }
}
