import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { DEVELOPMENT_DEFAULTS } from '../config/environment.js';
import { dataSourceOptions, prepareDatabase } from './database-options.js';

/** For the TypeORM CLI (`npm run migration:run`, `npm run migration:generate -- migrations/Name`). */
const url = process.env.DATABASE_URL || DEVELOPMENT_DEFAULTS.DATABASE_URL;
export default new DataSource(dataSourceOptions(url, await prepareDatabase(url)));
