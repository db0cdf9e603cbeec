import { AppModule } from './app.module';

describe('agent-base AppModule', () => {
  it('registers with NATS under its service name', () => {
    const mod = AppModule.forRoot({ NATS_URL: 'nats://127.0.0.1:4222' });
    const nats = mod.imports?.[0] as { providers: Array<{ provide: unknown; useValue?: { service?: string } }> };
    const identity = nats.providers.find((p) => p.useValue?.service);
    expect(identity?.useValue?.service).toBe('agent-base');
  });
});
