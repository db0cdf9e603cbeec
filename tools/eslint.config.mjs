import baseConfig from '../eslint.config.mjs';

// tools/jest is a project of its own (tools-jest): the integration harness loads libraries lazily, after it has
// registered the workspace aliases, which Nx forbids within a project that also imports them statically
export default [...baseConfig, { ignores: ['jest/**'] }];
