export * from './lib/feature-schema';
export * from './lib/online-stats';
export * from './lib/tumbling-windower';
export * from './lib/session-windower';
export * from './lib/event-count-features';
export * from './lib/wifi-features';
export * from './lib/wifi-windows';
