import { fieldLabel, isMessageKey, message, MESSAGES, preferredLanguage, renderMessage, statusTitle } from '../../src/common/messages.js';

const CJK = /[\u4e00-\u9fff]/;

describe('message catalogue', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it.each(Object.entries(MESSAGES))('%s: Chinese, English, the same placeholders', (_key, text) => {
    expect(text.zh).toMatch(CJK);
    expect(text.en).not.toMatch(CJK);
    expect(placeholders(text.zh)).toEqual(placeholders(text.en));
  });

  it('renders a field message with the field named in Chinese by default wording', () => {
    expect(renderMessage(message('FIELD.HOURS_ONE_DECIMAL'), 'zh', 'entries[3].hours')).toBe('学时最多一位小数');
    expect(renderMessage(message('FIELD.HOURS_ONE_DECIMAL'), 'en', 'entries[3].hours')).toBe('hours must have at most one decimal');
    expect(renderMessage(message('FIELD.ONE_OF', { values: ['a', 'b'] }), 'zh', 'category')).toBe('科目类别必须是以下之一：a、b');
    expect(renderMessage(message('FIELD.REQUIRED_FOR_RULE', { city: 'quzhou', track: 'initial', titleLevel: 'junior' }), 'zh', 'series')).toBe(
      '按衢州市初定初级的规则，职称系列为必填项',
    );
  });

  it('labels fields by the last name of their path; unknown fields by their JSON name', () => {
    expect(fieldLabel('requests[12].idNumber', 'zh')).toBe('身份证号');
    expect(fieldLabel('entries[0]', 'zh')).toBe('条目[0]');
    expect(fieldLabel('constructor', 'zh')).toBe('constructor');
    expect(fieldLabel('surprise', 'en')).toBe('surprise');
  });

  it('knows its keys and nothing inherited', () => {
    expect(isMessageKey('FIELD.REQUIRED')).toBe(true);
    expect(isMessageKey('toString')).toBe(false);
  });

  it('titles every status a client meets, in both languages', () => {
    for (const status of [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503]) {
      expect(statusTitle(status, 'zh')).toMatch(CJK);
      expect(statusTitle(status, 'en')).not.toMatch(CJK);
    }
  });

  it.each([
    [undefined, 'zh'],
    ['', 'zh'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['zh-CN,en;q=0.5', 'zh'],
    ['fr-FR,en;q=0.5,zh;q=0.3', 'en'],
    ['en;q=0.2,zh-TW;q=0.8', 'zh'],
    ['de', 'zh'],
    ['en;q=0', 'zh'],
  ])('Accept-Language %j → %s', (header, lang) => {
    expect(preferredLanguage(header)).toBe(lang);
  });
});
