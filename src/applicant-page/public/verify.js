// The verification page a QR code opens: reads /api/v1/verifications/{code} and says it in Chinese.
'use strict';



const time = (iso) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function render(found) {
  const valid = found.status === 'valid';
  const what = found.kind === 'certification' ? '资格审查结果' : '继续教育学时证明';
  const rows = [
    ['证明类型', what],
    ['姓名', found.person.nameMasked || '（未登记）'],
    ['身份证号', found.person.idNumberMasked],
    ['出具机构', found.issuer],
    ['出具时间', time(found.issuedAt)],
  ];
  if (found.kind === 'certification') rows.push(['申报年度', `${found.applicationYear}年`], ['结论', found.decisionName], ['说明', found.summary]);
  else rows.push(['证明年度', found.fromYear === found.toYear ? `${found.fromYear}年` : `${found.fromYear}—${found.toYear}年`]);
  const parts = [
    el('p', { class: `outcome ${valid ? 'eligible' : 'ineligible'}`, id: 'status' }, valid ? '✓ 真实有效：本证明由本服务出具，出具后相关学时记录没有变动。' : `！已有变动：本证明由本服务出具，但 ${time(found.changedAt)} 起相关年度的学时记录有新增或冲销，请向本人索取新的证明。`),
    el('table', {}, el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))))),
  ];
  if (found.years) {
    parts.push(
      el('h2', {}, '出具时的学时（单位：学时）'),
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ['年度', '专业科目', '一般公需科目', '行业公需科目', '合计'].map((h) => el('th', {}, h)))),
        el('tbody', {}, found.years.map((y) => el('tr', {}, el('td', {}, `${y.year}年`), el('td', { class: 'hours' }, y.professional), el('td', { class: 'hours' }, y.generalPublic), el('td', { class: 'hours' }, y.industryPublic), el('td', { class: 'hours' }, y.total)))),
      ),
    );
  }
  $('result').replaceChildren(...parts);
}

async function start() {
  const code = decodeURIComponent(location.pathname.split('/').pop() || '');
  const response = await fetch(`/api/v1/verifications/${encodeURIComponent(code)}`).catch(() => null);
  if (response && response.ok) return render(await response.json());
  const message =
    response && response.status === 404
      ? '未找到该核验码对应的证明：它不是本服务出具的，或二维码、链接不完整。'
      : response && response.status === 429
        ? '查询过于频繁，请稍后再试。'
        : '暂时无法核验，请稍后再试。';
  $('result').replaceChildren(el('p', { class: 'outcome ineligible', id: 'status' }, message));
}

void start();
