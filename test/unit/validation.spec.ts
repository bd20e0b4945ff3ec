import { JsonSchemaPipe } from '../../src/common/json-schema.js';
import { InvalidRequestError } from '../../src/common/domain-error.js';
import { renderMessage } from '../../src/common/messages.js';
import { RECORD_HOURS_BATCH_SCHEMA, type RecordHoursBatchDto } from '../../src/ledger/dto/record-hours.dto.js';

const entry = {
  externalId: 'x-1',
  idNumber: '11010519491231002x',
  personName: '张三',
  category: 'professional',
  hours: 1.5,
  completedOn: '2024-05-20',
  courseTitle: '课程',
};

const pipe = new JsonSchemaPipe<RecordHoursBatchDto>(RECORD_HOURS_BATCH_SCHEMA);

const errorsOf = (body: unknown) => {
  try {
    pipe.transform(structuredClone(body));
    return [];
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    // Rendered in English here; the Chinese wording is tested end to end (test/e2e/bad-input, messages).
    return (error.errors ?? []).map((e) => ({ path: e.path, message: renderMessage(e.message, 'en', e.path) }));
  }
};

describe('hours entry validation (compiled JSON schema)', () => {
  it('names a bad batch entry by its index and field', () => {
    const errors = errorsOf({ entries: [entry, { ...entry, hours: 1.25 }, { ...entry, completedOn: '2023-02-29' }] });
    expect(errors).toEqual([
      { path: 'entries[1].hours', message: 'hours must have at most one decimal' },
      { path: 'entries[2].completedOn', message: 'completedOn must be a real date written YYYY-MM-DD' },
    ]);
  });

  it('normalises a lowercase x in the ID number', () => {
    expect(pipe.transform({ entries: [{ ...entry }] }).entries[0].idNumber).toBe('11010519491231002X');
  });

  it('reports one problem per field, every bad field of every entry', () => {
    const errors = errorsOf({ entries: [{ ...entry, hours: '1', personName: 'x'.repeat(51), surprise: 1 }, { ...entry, externalId: undefined }] });
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'entries[0].surprise', message: 'property surprise should not exist' },
        { path: 'entries[0].hours', message: 'hours must be a number' },
        { path: 'entries[0].personName', message: 'personName must be shorter than or equal to 50 characters' },
        { path: 'entries[1].externalId', message: 'externalId is required' },
      ]),
    );
    expect(errors).toHaveLength(4);
  });

  it.each([
    [{ entries: [] }, 'entries', 'entries must contain at least 1 elements'],
    [{ entries: 'all' }, 'entries', 'entries must be an array'],
    [{ entries: [42] }, 'entries[0]', 'entries[0] must be an object'],
    [{}, 'entries', 'entries is required'],
    [[], '(body)', 'body must be an object'],
  ])('refuses the batch %j', (body, path, message) => {
    expect(errorsOf(body)).toEqual([{ path, message }]);
  });

  it.each([
    [{ hours: 0 }, 'hours must be more than 0'],
    [{ hours: -1 }, 'hours must be more than 0'],
    [{ hours: 500.1 }, 'hours must be at most 500'],
    [{ hours: '1.5' }, 'hours must be a number'],
    [{ completedOn: '1989-12-31' }, 'completedOn must not be before 1990-01-01'],
    [{ completedOn: '2999-01-01' }, 'completedOn must not be in the future'],
    [{ completedOn: 20240520 }, 'completedOn must be a string'],
    [{ idNumber: '110105194912310021' }, 'idNumber has a wrong check digit (GB 11643)'],
    [{ idNumber: '110105194913310024' }, 'idNumber must contain a real birth date (characters 7-14, YYYYMMDD)'],
    [{ category: 'other' }, 'category must be one of the following values: professional, general_public, industry_public'],
    [{ externalId: 'has space' }, 'externalId must be 1-128 letters, digits or -_.:/'],
    [{ externalId: 'x'.repeat(129) }, 'externalId must be 1-128 letters, digits or -_.:/'],
    [{ personName: 'x'.repeat(51) }, 'personName must be shorter than or equal to 50 characters'],
    [{ personName: ' \t' }, 'personName must not be blank'],
    [{ courseTitle: '' }, 'courseTitle must not be blank'],
  ])('refuses %j', (change, message) => {
    expect(errorsOf({ entries: [{ ...entry, ...change }] })).toEqual([{ path: expect.stringMatching(/^entries\[0\]\./), message }]);
  });

  it('counts characters, not UTF-16 units or bytes: 50 CJK characters or emoji are a valid name', () => {
    expect(errorsOf({ entries: [{ ...entry, personName: '名'.repeat(50) }, { ...entry, externalId: 'x-2', personName: '😀'.repeat(50) }] })).toEqual([]);
  });
});
