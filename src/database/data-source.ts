import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { DEVELOPMENT_DEFAULTS } from '../config/environment';
import { dataSourceOptions } from './database-options';

/** For the TypeORM CLI: `npm run migration:run`, `npm run migration:generate -- migrations/Name`. */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL || DEVELOPMENT_DEFAULTS.DATABASE_URL));
