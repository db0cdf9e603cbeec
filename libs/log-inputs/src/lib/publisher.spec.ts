import { classifyPublishError } from './publisher';

describe('classifyPublishError', () => {
  it('tells a full stream (429) from an unavailable JetStream (503)', () => {
    // the shapes nats.js and JetStream produce: an API error in the ack, a no-responders status, a timeout
    expect(classifyPublishError({ code: 'JETSTREAM', message: 'maximum messages exceeded', api_error: { description: 'maximum messages exceeded' } }).toJSON()).toEqual({
      code: 'STREAM_FULL',
      message: 'the LOGS stream is full (maximum messages exceeded); retry later',
    });
    expect(classifyPublishError({ code: '503', message: '503', api_error: { description: 'insufficient resources' } }).httpStatus).toBe(429);
    expect(classifyPublishError({ code: '503', message: 'no responders' }).toJSON()).toMatchObject({ code: 'STREAM_UNAVAILABLE' });
    expect(classifyPublishError(new Error('TIMEOUT')).httpStatus).toBe(503);
    expect(classifyPublishError(new Error('CONNECTION_CLOSED')).retryable).toBe(true);
  });
});
