// waitFor lives in @loglens/dev-infra (its own specs wait on conditions too, and testing builds on dev-infra)
export { waitFor } from '@loglens/dev-infra';
