import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { projectRoot } from '../common/project-root.js';
import { DEVELOPMENT_DEFAULTS } from '../config/environment.js';
import { dataSourceOptions, prepareDatabase } from './database-options.js';

/**
 * For the TypeORM CLI (`npm run migration:run`, `npm run migration:generate -- migrations/Name`), run from dist/.
 * The entities are found by file name, as the modules register them for the application.
 */
const url = process.env.DATABASE_URL || DEVELOPMENT_DEFAULTS.DATABASE_URL;
export default new DataSource({
  ...dataSourceOptions(url, (await prepareDatabase(url)).flavour),
  entities: [join(projectRoot(), 'dist/src/**/*.{entity,entities}.js')],
});
