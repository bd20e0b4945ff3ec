import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../../src/common/validation.js';
import { RecordHoursBatchDto } from '../../src/ledger/dto/record-hours.dto.js';

const entry = {
  externalId: 'x-1',
  idNumber: '11010519491231002x',
  personName: '张三',
  category: 'professional',
  hours: 1.5,
  completedOn: '2024-05-20',
  courseTitle: '课程',
};

const errorsOf = (body: unknown) =>
  flattenValidationErrors(validateSync(plainToInstance(RecordHoursBatchDto, body) as object, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true }));

describe('request validation', () => {
  it('names a bad batch entry by its index and field', () => {
    const errors = errorsOf({ entries: [entry, { ...entry, hours: 1.25 }, { ...entry, completedOn: '2023-02-29' }] });
    expect(errors).toEqual([
      { path: 'entries[1].hours', message: 'hours must have at most one decimal' },
      { path: 'entries[2].completedOn', message: 'completedOn must be a real date written YYYY-MM-DD' },
    ]);
  });

  it('normalises a lowercase x in the ID number', () => {
    const dto = plainToInstance(RecordHoursBatchDto, { entries: [entry] });
    expect(dto.entries[0].idNumber).toBe('11010519491231002X');
  });

  it.each([
    [{ hours: 0 }, 'hours must be more than 0'],
    [{ hours: 500.1 }, 'hours must be at most 500'],
    [{ hours: '1.5' }, 'hours must be a number'],
    [{ completedOn: '1989-12-31' }, 'completedOn must not be before 1990-01-01'],
    [{ completedOn: '2999-01-01' }, 'completedOn must not be in the future'],
    [{ idNumber: '110105194912310021' }, 'idNumber has a wrong check digit (GB 11643)'],
    [{ category: 'other' }, 'category must be one of the following values: professional, general_public, industry_public'],
    [{ externalId: 'has space' }, 'externalId must be 1-128 letters, digits or -_.:/'],
    [{ externalId: 'x'.repeat(129) }, 'externalId must be 1-128 letters, digits or -_.:/'],
    [{ personName: 'x'.repeat(51) }, 'personName must be shorter than or equal to 50 characters'],
  ])('refuses %j', (change, message) => {
    expect(errorsOf({ entries: [{ ...entry, ...change }] })).toEqual([{ path: expect.stringMatching(/^entries\[0\]\./), message }]);
  });
});
