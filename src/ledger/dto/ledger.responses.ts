import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { tenthsToHours } from '../../common/hours.js';
import { isoTimestamp } from '../../common/pagination.js';
import { CATEGORIES, ENTRY_SOURCES } from '../ledger.types.js';
import { sumYearTotals } from '../year-totals.js';
import type { EntryRow, LedgerEntryRow, NameChangeRow } from '../ledger.repository.js';


export class EntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, description: 'null on reversing entries' }) externalId: string | null;
  @ApiProperty({ example: '110105********002X' }) idNumberMasked: string;
  @ApiProperty() personName: string;
  @ApiProperty({ enum: CATEGORIES }) category: string;
  @ApiProperty({ example: 1.5, description: 'Negative on reversing entries' }) hours: number;
  @ApiProperty({ example: '2024-05-20' }) completedOn: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty({ nullable: true }) reversesEntryId: string | null;
  @ApiProperty({ nullable: true }) reversedByEntryId: string | null;
  @ApiProperty({ nullable: true }) reversalReason: string | null;
  @ApiProperty({ example: '2024-05-21T08:00:00.000Z' }) createdAt: string;

  static from(row: EntryRow): EntryDto {
    return {
      id: row.id,
      externalId: row.externalId,
      idNumberMasked: row.idNumberMasked,
      personName: row.personName,
      category: row.category,
      hours: tenthsToHours(row.hoursTenths),
      completedOn: row.completedOn,
      courseTitle: row.courseTitle,
      reversesEntryId: row.reversesEntryId,
      reversedByEntryId: row.reversedByEntryId,
      reversalReason: row.reversalReason,
      createdAt: isoTimestamp(row.createdAt),
    };
  }
}

export class EntryPageDto {
  @ApiProperty({ type: [EntryDto] }) items: EntryDto[];
  @ApiProperty({ nullable: true, description: 'Pass as ?cursor= for the next page; null on the last page' }) nextCursor: string | null;
}

export class EntryListDto {
  @ApiProperty({ type: [EntryDto] }) items: EntryDto[];
}

export class BatchOutcomeDto {
  @ApiProperty() index: number;
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['created', 'replayed'] }) status: string;
}

export class BatchResultDto {
  @ApiProperty() created: number;
  @ApiProperty() replayed: number;
  @ApiProperty({ type: [BatchOutcomeDto] }) entries: BatchOutcomeDto[];
}

export class ProviderRefDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

export class LedgerEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ENTRY_SOURCES, description: 'provider: posted by a training provider; self_report: reported by the applicant and approved on review' })
  source: string;
  @ApiProperty({ example: '浙江省专业技术人员继续教育基地', description: 'The organisation that recorded it: the provider, or the reviewer whose approval recorded a self-report' })
  recordedBy: string;
  @ApiProperty({ type: ProviderRefDto, nullable: true, description: 'null on self-reported entries' }) provider: ProviderRefDto | null;
  @ApiProperty() courseTitle: string;
  @ApiProperty({ enum: CATEGORIES }) category: string;
  @ApiProperty({ example: 1.5 }) hours: number;
  @ApiProperty({ example: '2024-05-20' }) completedOn: string;
  @ApiProperty({ nullable: true }) reversesEntryId: string | null;
  @ApiProperty({ nullable: true }) reversedByEntryId: string | null;
  @ApiProperty({ nullable: true }) reversalReason: string | null;
  @ApiProperty() createdAt: string;
}

export class LedgerYearDto {
  @ApiProperty({ example: 2024 }) year: number;
  @ApiProperty({ example: 60 }) professional: number;
  @ApiProperty({ example: 12 }) generalPublic: number;
  @ApiProperty({ example: 6 }) industryPublic: number;
  @ApiProperty({ example: 18, description: 'generalPublic + industryPublic' }) public: number;
  @ApiProperty({ example: 78 }) total: number;
  @ApiProperty({ type: [LedgerEntryDto] }) entries: LedgerEntryDto[];
}

export class NameChangeDto {
  @ApiProperty({ example: '李四' }) oldName: string;
  @ApiProperty({ example: '李思' }) newName: string;
  @ApiProperty({ example: '户籍姓名变更' }) reason: string;
  @ApiProperty() changedAt: string;
}

export class LedgerPersonDto {
  @ApiProperty({ example: '110105********002X' }) idNumberMasked: string;
  @ApiPropertyOptional({ nullable: true, description: 'The name on record; null until a provider has recorded hours for the person' }) name: string | null;
  @ApiProperty({ type: [NameChangeDto], description: "Administrators' recorded name changes, oldest first" }) nameChanges: NameChangeDto[];
}

export class LedgerDto {
  @ApiProperty({ type: LedgerPersonDto }) person: LedgerPersonDto;
  @ApiProperty({ type: [LedgerYearDto], description: 'Newest year first' }) years: LedgerYearDto[];

  /**
   * From a ledger's rows (at least one: a person exists only with entries), newest year first; a
   * year's totals are the sums of its entries, in tenths.
   */
  static from(rows: LedgerEntryRow[], nameChanges: NameChangeRow[]): LedgerDto {
    const entries = new Map<number, LedgerEntryDto[]>();
    for (const row of rows) {
      let list = entries.get(row.ledgerYear);
      if (!list) entries.set(row.ledgerYear, (list = []));
      list.push({
        id: row.id,
        source: row.source,
        recordedBy: row.recorderName,
        provider: row.providerCode === null ? null : { code: row.providerCode, name: row.recorderName },
        courseTitle: row.courseTitle,
        category: row.category,
        hours: tenthsToHours(row.hoursTenths),
        completedOn: row.completedOn,
        reversesEntryId: row.reversesEntryId,
        reversedByEntryId: row.reversedByEntryId,
        reversalReason: row.reversalReason,
        createdAt: isoTimestamp(row.createdAt),
      });
    }
    return {
      person: {
        idNumberMasked: rows[0].idNumberMasked,
        name: rows[0].personName,
        nameChanges: nameChanges.map((c) => ({ oldName: c.oldName, newName: c.newName, reason: c.reason, changedAt: isoTimestamp(c.createdAt) })),
      },
      years: sumYearTotals(rows).map((t) => ({
        year: t.year,
        professional: tenthsToHours(t.professional),
        generalPublic: tenthsToHours(t.generalPublic),
        industryPublic: tenthsToHours(t.industryPublic),
        public: tenthsToHours(t.generalPublic + t.industryPublic),
        total: tenthsToHours(t.professional + t.generalPublic + t.industryPublic),
        entries: entries.get(t.year)!,
      })),
    };
  }
}
