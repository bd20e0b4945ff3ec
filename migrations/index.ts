import { Certification1795317468970 } from './1795317468970-Certification.js';
import { InitialSchema1795315690845 } from './1795315690845-InitialSchema.js';
import { CorrectionsAndNames1796000000000 } from './1796000000000-CorrectionsAndNames.js';
import { WebhookOutbox1796000000001 } from './1796000000001-WebhookOutbox.js';
import { LedgerChain1796000000002 } from './1796000000002-LedgerChain.js';
import { SignIn1796000000003 } from './1796000000003-SignIn.js';
import { AccessLog1796000000004 } from './1796000000004-AccessLog.js';
import { Keys1796000000005 } from './1796000000005-Keys.js';
import { HoursCertificates1796000000006 } from './1796000000006-HoursCertificates.js';
import { Imports1796000000007 } from './1796000000007-Imports.js';
import { SelfReports1796000000008 } from './1796000000008-SelfReports.js';
import { LedgerDayIndex1796000000009 } from './1796000000009-LedgerDayIndex.js';

/**
 * Every migration, in order. `npm run migration:generate -- migrations/Name` writes a new file:
 * add its class here (listing them, rather than globbing a folder, works the same from TypeScript,
 * from compiled JavaScript and under the test runner).
 */
export const MIGRATIONS = [InitialSchema1795315690845, Certification1795317468970, CorrectionsAndNames1796000000000, WebhookOutbox1796000000001, LedgerChain1796000000002, SignIn1796000000003, AccessLog1796000000004, Keys1796000000005, HoursCertificates1796000000006, Imports1796000000007, SelfReports1796000000008, LedgerDayIndex1796000000009];
