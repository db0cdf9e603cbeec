export * from './lib/lru-map';
export * from './lib/masking';
export * from './lib/template-miner';
export * from './lib/group-accuracy';
export * from './lib/loghub-csv';
export * from './lib/wifi';
export * from './lib/wildcard-match';
export * from './lib/headers/line-header';
