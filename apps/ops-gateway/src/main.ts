// Telemetry starts before Nest (and anything it instruments) is loaded: everything else comes
// in through the dynamic import below, which runs after the SDK is up.
import { startTelemetry } from '@mt5/infra/telemetry';

startTelemetry('ops-gateway');
const { bootstrap } = await import('./bootstrap.js');
await bootstrap();
