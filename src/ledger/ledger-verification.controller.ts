import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service.js';
import { Roles } from '../auth/auth.decorators.js';
import { type LedgerVerification, LedgerVerifier } from './ledger-verifier.js';

@ApiTags('administration')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/ledger-verifications')
export class LedgerVerificationController {
  constructor(
    private readonly verifier: LedgerVerifier,
    private readonly audit: AuditService,
  ) {}

  /** Recomputes every hash chain and year total now (what `npm run ledger:verify` does), and names the first broken link. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: '{ok, persons, entries, firstBrokenLink, brokenChains, yearTotalMismatches, verifiedAt}' })
  async verify(): Promise<LedgerVerification> {
    const report = await this.verifier.verify();
    await this.audit.recordAdmin('ledger_verified', report.ok ? 'ok' : `broken chains ${report.brokenChains}`);
    return report;
  }
}
