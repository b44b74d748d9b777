/** `npm run openapi`: writes the OpenAPI 3.1 document generated from the contract to docs/openapi.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildOpenApi } from '../server/http/openapi.js';

const out = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log(`wrote ${out}`);
