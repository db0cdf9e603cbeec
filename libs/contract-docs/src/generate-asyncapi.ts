/** `npm run asyncapi`: writes docs/asyncapi.yaml from libs/contracts. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ASYNCAPI_FILE, buildAsyncApi, renderAsyncApi } from './lib/asyncapi';

writeFileSync(path.join(process.cwd(), ASYNCAPI_FILE), renderAsyncApi(buildAsyncApi()));
console.log(`wrote ${ASYNCAPI_FILE}`);
