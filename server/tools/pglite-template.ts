/**
 * `npm run build -w server` runs this: writes dist/pglite-template-<PGlite version>.tar.gz (an
 * empty cluster that a first start unpacks instead of running initdb; server/db/pglite-template.ts)
 * unless it exists for the installed PGlite.
 */
import { writePgliteTemplate } from '../db/pglite-template.js';

const { file, written } = await writePgliteTemplate();
if (written) console.log(`wrote ${file}`);
