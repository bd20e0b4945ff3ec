import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { type LedgerVerification, LedgerVerifier } from './ledger-verifier.js';

@ApiTags('administration')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/ledger-verifications')
export class LedgerVerificationController {
  constructor(private readonly verifier: LedgerVerifier) {}

  /** Recomputes every hash chain and year total now (what `npm run ledger:verify` does), and names the first broken link. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: '{ok, persons, entries, firstBrokenLink, brokenChains, yearTotalMismatches, verifiedAt}' })
  verify(): Promise<LedgerVerification> {
    return this.verifier.verify();
  }
}
