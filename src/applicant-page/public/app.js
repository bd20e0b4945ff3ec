// The applicant's page: the same public API as every other client, with the applicant token.
'use strict';

const STORAGE_KEY = 'ce-ledger-applicant-token';
const CRITERIA_KEY = 'ce-ledger-criteria';
const NEEDED_NAMES = { professional: '专业科目', generalPublic: '一般公需科目', industryPublic: '行业公需科目' };
const CATEGORY_NAMES = { professional: '专业科目', general_public: '一般公需科目', industry_public: '行业公需科目' };
const MEASURE_NAMES = { total: '总学时', professional: '专业科目', public: '公需科目（一般公需+行业公需）', generalPublic: '一般公需科目' };
const OUTCOMES = { eligible: '符合申报的继续教育学时要求', ineligible: '不符合申报的继续教育学时要求', undetermined: '无法判定（本市通知未规定，见说明）' };
const CHECK_NAMES = {
  YEAR_COMPLIANT: '年度学时达标',
  COMPLIANT_YEAR_COUNT: '达标年份数',
  CUMULATIVE_HOURS: '累计学时',
  INITIAL_DETERMINATION_HOURS: '职称初定学时',
  EXAM_SERIES: '考试系列',
};
const BARS = [
  { key: 'professional', label: '专业科目', color: 'var(--professional)', line: 'professional' },
  { key: 'generalPublic', label: '一般公需', color: 'var(--general)', line: 'generalPublic' },
  { key: 'industryPublic', label: '行业公需', color: 'var(--industry)', line: null },
  { key: 'public', label: '公需合计', color: 'var(--public)', line: 'public' },
];

// Signed in either by a session (the SSO or the development sign-in; an httpOnly cookie, with a CSRF
// token for changes) or by an applicant token handed over or pasted.
const state = { token: null, session: null, ledger: null, rules: [] };


function svg(tag, attributes = {}, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

const api = (path, options) => callApi(path, options, { token: state.token, csrfToken: state.session && state.session.csrfToken });

function show(section, visible) {
  $(section).hidden = !visible;
}

async function signIn(token, remember) {
  state.token = token.trim();
  if (remember) localStorage.setItem(STORAGE_KEY, state.token);
  await enter();
}

/** Signed in (by a session or a token): load the ledger and show the applicant's sections. */
async function enter() {
  try {
    await loadLedger();
    show('sign-in', false);
    show('ledger-section', true);
    show('eligibility-section', true);
    show('access-section', true);
    show('certificate-section', true);
    show('activities-section', true);
    void loadActivities();
    void loadAccessLog();
    void loadCertificates();
  } catch (error) {
    await signOut();
    $('sign-in-error').textContent = error.status === 401 ? '登录凭证无效或已过期，请重新登录。' : `登录失败：${error.message}`;
  }
}

async function signOut() {
  if (state.session && !state.token) await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
  state.token = null;
  state.session = null;
  localStorage.removeItem(STORAGE_KEY);
  show('ledger-section', false);
  show('eligibility-section', false);
  show('access-section', false);
  show('certificate-section', false);
  show('activities-section', false);
  show('sign-in', true);
}

async function loadLedger() {
  const [ledger, rules] = await Promise.all([api('/api/v1/me/ledger'), api('/api/v1/rules')]);
  state.ledger = ledger;
  state.rules = rules;
  const via = state.token ? '登录凭证' : '统一身份认证';
  $('person').textContent = `${ledger.person.name || (state.session && state.session.name) || ''}  身份证号 ${ledger.person.idNumberMasked}（已通过${via}登录）`;
  const city = $('city');
  city.replaceChildren(...rules.map((rule) => el('option', { value: rule.id }, `${rule.cityName}（${rule.citation.document}）`)));
  renderLedger();
  restoreCriteria();
}

function selectedRule() {
  return state.rules.find((rule) => rule.id === $('city').value) || state.rules[0];
}

function renderLedger() {
  const rule = selectedRule();
  const minimum = (rule && rule.parameters.annualMinimum) || null;
  $('requirement-note').textContent = minimum
    ? `虚线为${rule.cityName}每年的最低要求：${Object.entries(minimum).map(([m, h]) => `${MEASURE_NAMES[m]} ${h} 学时`).join('，')}（${rule.citation.document} ${rule.citation.section}）。`
    : `${rule ? rule.cityName : ''}的通知按累计年限而非每年规定学时要求，请用下方“申报条件核对”。`;
  const years = state.ledger.years;
  if (years.length === 0) {
    $('ledger').replaceChildren(el('p', {}, '尚无学时记录。培训机构登记后，学时会显示在这里。'));
    return;
  }
  $('ledger').replaceChildren(...years.map((year) => renderYear(year, minimum)));
}

function renderYear(year, minimum) {
  const values = { professional: year.professional, generalPublic: year.generalPublic, industryPublic: year.industryPublic, public: year.public };
  const lines = minimum || {};
  const scale = Math.max(10, ...Object.values(values), ...BARS.map((bar) => (bar.line && lines[bar.line]) || 0)) * 1.15;
  const width = 360; // a narrow drawing, so that its text stays legible when a phone scales it
  const rowHeight = 34;
  const labelWidth = 70;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${BARS.length * rowHeight + 10}`, role: 'img', 'aria-label': `${year.year}年学时：${BARS.map((b) => `${b.label}${values[b.key]}学时`).join('，')}` });
  BARS.forEach((bar, index) => {
    const y = 5 + index * rowHeight;
    const length = ((width - labelWidth - 50) * values[bar.key]) / scale;
    chart.append(svg('text', { x: 0, y: y + 20, 'font-size': 14, fill: '#1a1a1a' }, bar.label));
    chart.append(svg('rect', { x: labelWidth, y: y + 4, width: Math.max(length, 1), height: 22, fill: bar.color, 'data-bar': bar.key }));
    chart.append(svg('text', { x: labelWidth + length + 6, y: y + 20, 'font-size': 14, fill: '#1a1a1a' }, `${values[bar.key]}`));
    const required = bar.line && lines[bar.line];
    if (required) {
      const x = labelWidth + ((width - labelWidth - 50) * required) / scale;
      chart.append(svg('line', { x1: x, x2: x, y1: y, y2: y + 30, stroke: '#a11d1d', 'stroke-width': 2, 'stroke-dasharray': '4 3', 'data-requirement': bar.line }));
    }
  });
  const totalRequired = lines.total ? `（每年要求不少于 ${lines.total} 学时）` : '';
  const gaps = minimum ? yearGaps(year, minimum) : [];
  const rows = year.entries.map((entry) =>
    el(
      'tr',
      { class: entry.reversesEntryId ? 'reversal' : '' },
      el('td', {}, entry.recordedBy, entry.source === 'self_report' ? el('span', { class: 'tag' }, '个人申报') : ''),
      el('td', {}, entry.reversesEntryId ? `冲销：${entry.courseTitle}（${entry.reversalReason || ''}）` : entry.courseTitle + (entry.reversedByEntryId ? '（已冲销）' : '')),
      el('td', {}, entry.completedOn),
      el('td', {}, CATEGORY_NAMES[entry.category]),
      el('td', { class: 'hours' }, entry.hours),
    ),
  );
  return el(
    'article',
    { class: gaps.length ? 'year short' : 'year', 'data-year': year.year },
    el('h3', {}, `${year.year}年 合计 ${year.total} 学时${totalRequired}`),
    gaps.length ? el('p', { class: 'gaps' }, `本年度未达到${selectedRule().cityName}的年度要求：${gaps.join('、')}`) : '',
    chart,
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, '登记单位'), el('th', {}, '课程'), el('th', {}, '完成日期'), el('th', {}, '科目'), el('th', {}, '学时'))), el('tbody', {}, rows)),
  );
}

/** What a year lacks against an annual minimum, per category: ["专业科目还差 0.5 学时", …]. */
function yearGaps(year, minimum) {
  const actual = { total: year.total, professional: year.professional, public: year.public, generalPublic: year.generalPublic };
  return Object.entries(minimum)
    .map(([measure, required]) => [measure, Math.round((required - actual[measure]) * 10) / 10])
    .filter(([, missing]) => missing > 0)
    .map(([measure, missing]) => `${MEASURE_NAMES[measure].replace(/（.*）/, '')}还差 ${missing} 学时`);
}

function describeCheck(check) {
  const period = check.year !== undefined ? `${check.year}年` : check.fromYear === check.toYear ? `${check.toYear}年` : `${check.fromYear}—${check.toYear}年`;
  if (check.code === 'EXAM_SERIES') return check.passed ? '不属于设有统一考试的职称系列' : '该系列设有统一考试，需通过考试取得职称，不再进行职称初定';
  if (check.code === 'COMPLIANT_YEAR_COUNT') {
    return `${period}达标年份 ${check.actual.years} 年，要求 ${check.required.years} 年${check.passed ? '' : `，还差 ${check.shortfall.years} 年`}`;
  }
  const prefix = check.code === 'YEAR_COMPLIANT' ? period : `${period}累计`;
  if (check.passed) return `${prefix}${check.deemed ? '视同合格' : '达标'}`;
  return Object.entries(check.shortfall)
    .filter(([, hours]) => hours > 0)
    .map(([measure, hours]) => `${prefix}${MEASURE_NAMES[measure].replace(/（.*）/, '')}还差 ${hours} 学时`)
    .join('；');
}

function renderDecision(decision) {
  const checks = decision.checks.map((check) =>
    el('li', { class: check.passed ? 'pass' : 'fail' }, `${CHECK_NAMES[check.code] || check.code}：`, el('span', { class: check.passed ? '' : 'missing' }, describeCheck(check))),
  );
  const citation = decision.ruleSet.citation;
  $('decision').replaceChildren(
    el('p', { class: `summary ${decision.decision}` }, decision.summary),
    el('p', { class: `outcome ${decision.decision}` }, OUTCOMES[decision.decision]),
    checks.length ? el('ul', { class: 'checks' }, checks) : '',
    ...decision.notes.map((note) => el('p', { class: 'note' }, `说明：${note}`)),
    el('p', { class: 'citation' }, `依据：${citation.document} ${citation.section}——“${citation.quote}”`),
  );
}

const CRITERIA_FIELDS = ['application-year', 'track', 'title-level', 'required-years', 'education', 'series'];

/** The question as the form asks it; remembered in this browser, so that the applicant asks it once. */
function criteria() {
  const rule = selectedRule();
  const optional = (id, convert = (v) => v) => ($(id).value.trim() === '' ? {} : { [id.replace(/-(\w)/g, (_, c) => c.toUpperCase())]: convert($(id).value.trim()) });
  localStorage.setItem(CRITERIA_KEY, JSON.stringify({ rule: rule.id, ...Object.fromEntries(CRITERIA_FIELDS.map((id) => [id, $(id).value])) }));
  return {
    city: rule.city,
    applicationYear: Number($('application-year').value),
    track: $('track').value,
    titleLevel: $('title-level').value,
    ...optional('required-years', Number),
    ...optional('education'),
    ...optional('series'),
  };
}

function restoreCriteria() {
  const saved = JSON.parse(localStorage.getItem(CRITERIA_KEY) || 'null');
  if (!saved) return;
  if (state.rules.some((rule) => rule.id === saved.rule)) $('city').value = saved.rule;
  for (const id of CRITERIA_FIELDS) if (typeof saved[id] === 'string') $(id).value = saved[id];
  renderLedger();
}

async function checkEligibility(event) {
  event.preventDefault();
  try {
    renderDecision(await api('/api/v1/me/eligibility', { method: 'POST', body: JSON.stringify(criteria()) }));
  } catch (error) {
    $('decision').replaceChildren(el('p', { class: 'error', role: 'alert' }, `无法核对：${error.message}`));
  }
}

async function showPlan() {
  if (!$('eligibility-form').reportValidity()) return;
  try {
    renderPlan(await api('/api/v1/me/plan', { method: 'POST', body: JSON.stringify(criteria()) }));
  } catch (error) {
    $('plan').replaceChildren(el('p', { class: 'error', role: 'alert' }, `无法计算：${error.message}`));
  }
}

function renderPlan(plan) {
  const head = el('p', { class: `summary ${plan.decision.decision}` }, `目前：${plan.decision.summary}`);
  if (!plan.feasible) {
    $('plan').replaceChildren(
      head,
      el('p', { class: 'outcome ineligible' }, '无论今后取得多少学时，都无法满足本次申报的要求：'),
      el('ul', { class: 'blockers' }, plan.blockers.map((blocker) => el('li', {}, blocker.reason))),
    );
    return;
  }
  const open = plan.years.filter((year) => Object.values(year.needed).some((hours) => hours > 0));
  if (open.length === 0) {
    $('plan').replaceChildren(head, el('p', { class: 'outcome eligible' }, '不需要再取得学时：已满足本次申报的要求。'));
    return;
  }
  const total = (needed) => Math.round(Object.values(needed).reduce((sum, hours) => sum + hours, 0) * 10) / 10;
  $('plan').replaceChildren(
    head,
    el('p', { class: 'outcome' }, `还需学时：在以下年度内分别取得这些学时，即可满足${plan.years[plan.years.length - 1].year}年申报的要求。`),
    el(
      'table',
      { class: 'plan' },
      el('thead', {}, el('tr', {}, el('th', {}, '年度'), ...Object.values(NEEDED_NAMES).map((name) => el('th', {}, name)), el('th', {}, '合计'))),
      el(
        'tbody',
        {},
        plan.years.map((year) =>
          el('tr', { 'data-year': year.year }, el('td', {}, `${year.year}年底前`), ...Object.keys(NEEDED_NAMES).map((key) => el('td', { class: 'hours' }, year.needed[key])), el('td', { class: 'hours' }, total(year.needed))),
        ),
      ),
    ),
    el('p', { class: 'note' }, '某一类不足的部分只能用该类学时补足；“合计”中超出各类最低要求的部分可用任一类学时补足。'),
  );
}

/** What this deployment offers: the single sign-on, and (never in production) the development sign-in. */
async function enableSignInOptions() {
  const options = await fetch('/auth/options').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  if (options.sso) $('sso-form').hidden = false;
  if (!options.devSignIn) return;
  $('dev-form').hidden = false;
  $('dev-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      state.session = await api('/auth/dev-login', { method: 'POST', body: JSON.stringify({ idNumber: $('dev-id-number').value.trim() }) });
      state.token = null;
      await enter();
    } catch (error) {
      $('sign-in-error').textContent = `无法登录：${error.message}`;
    }
  });
}

/** Downloads a file the API serves to this applicant (a PDF, an evidence file), with the token or the session cookie. */
async function downloadFile(path, fileName) {
  const response = await fetch(path, { headers: state.token ? { authorization: `Bearer ${state.token}` } : {} });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = el('a', { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function issueCertificate(event) {
  event.preventDefault();
  $('certificate-message').textContent = '正在开具……';
  try {
    const issued = await api('/api/v1/me/hours-certificates', {
      method: 'POST',
      body: JSON.stringify({ fromYear: Number($('certificate-from').value), toYear: Number($('certificate-to').value) }),
    });
    await downloadFile(`/api/v1/me/hours-certificates/${issued.id}/pdf`, `继续教育学时证明-${issued.fromYear}-${issued.toYear}.pdf`);
    $('certificate-message').textContent = `已开具 ${issued.fromYear}—${issued.toYear} 年的学时证明，核验码 ${issued.verifyCode}。`;
    void loadCertificates();
  } catch (error) {
    $('certificate-message').textContent = `无法开具：${error.message}`;
  }
}

async function loadCertificates() {
  try {
    const list = await api('/api/v1/me/hours-certificates');
    $('certificates').replaceChildren(
      list.length === 0
        ? el('p', {}, '尚未开具过学时证明。')
        : el(
            'table',
            {},
            el('thead', {}, el('tr', {}, el('th', {}, '年度'), el('th', {}, '开具时间'), el('th', {}, '状态'), el('th', {}, 'PDF'))),
            el(
              'tbody',
              {},
              list.map((item) => {
                const button = el('button', { type: 'button', class: 'secondary' }, '下载');
                button.addEventListener('click', () => void downloadFile(`/api/v1/me/hours-certificates/${item.id}/pdf`, `继续教育学时证明-${item.fromYear}-${item.toYear}.pdf`));
                return el(
                  'tr',
                  { 'data-certificate': item.id },
                  el('td', {}, `${item.fromYear}—${item.toYear}`),
                  el('td', {}, new Date(item.issuedAt).toLocaleString('zh-CN')),
                  el('td', { class: item.status === 'valid' ? 'valid' : 'missing' }, item.status === 'valid' ? '有效' : `已有变动（${new Date(item.changedAt).toLocaleDateString('zh-CN')}起），建议重新开具`),
                  el('td', {}, button),
                );
              }),
            ),
          ),
    );
  } catch (error) {
    $('certificates').replaceChildren(el('p', { class: 'error' }, `无法读取学时证明：${error.message}`));
  }
}

async function loadAccessLog() {
  try {
    const log = await api('/api/v1/me/access-log?limit=50');
    $('access-log').replaceChildren(
      log.items.length === 0
        ? el('p', {}, '暂无他人查询您的学时记录。')
        : el(
            'table',
            {},
            el('thead', {}, el('tr', {}, el('th', {}, '时间'), el('th', {}, '查询方'), el('th', {}, '查询内容'), el('th', {}, '用途'))),
            el('tbody', {}, log.items.map((item) => el('tr', {}, el('td', {}, new Date(item.at).toLocaleString('zh-CN')), el('td', {}, item.actor.name), el('td', {}, item.actionName), el('td', {}, item.purpose || '—')))),
          ),
    );
  } catch (error) {
    $('access-log').replaceChildren(el('p', { class: 'error' }, `无法读取查询记录：${error.message}`));
  }
}

async function start() {
  $('application-year').value = String(new Date().getFullYear());
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn($('token-input').value, $('remember').checked);
  });
  $('sign-out').addEventListener('click', () => void signOut());
  $('city').addEventListener('change', renderLedger);
  $('eligibility-form').addEventListener('submit', checkEligibility);
  $('plan-button').addEventListener('click', showPlan);
  $('certificate-form').addEventListener('submit', issueCertificate);
  const thisYear = new Date().getFullYear();
  $('certificate-from').value = String(thisYear - 4);
  $('certificate-to').value = String(thisYear);
  $('application-year').value ||= String(new Date().getFullYear());
  void enableSignInOptions();

  // A sign-in hands the token over by a form POST to /app/sign-in, never in the URL; the page
  // takes it once from an httpOnly cookie through POST /app/handoff.
  if (new URLSearchParams(location.search).get('signin') === 'failed') {
    history.replaceState(null, '', location.pathname);
    $('sign-in-error').textContent = '登录凭证无效或已过期，请重新登录。';
  }
  const session = await fetch('/api/v1/session').then((r) => (r.ok ? r.json() : null)).catch(() => null);
  if (session && session.kind === 'applicant') {
    state.session = session;
    return enter();
  }
  const handedOff = await fetch('/app/handoff', { method: 'POST' }).then((r) => (r.status === 200 ? r.json() : null)).catch(() => null);
  const token = (handedOff && handedOff.token) || localStorage.getItem(STORAGE_KEY);
  if (token) void signIn(token, false);
  else show('sign-in', true);
}

void start();
