export * from './lib/sketch';
export * from './lib/statistics';
export * from './lib/profile';
export * from './lib/config';
export * from './lib/report';
export * from './lib/template-names';
export * from './lib/window';
export * from './lib/live-profiler';
