// The reviewers' page: an organisation's session (employer or human-resources office), the same API as their API keys.
'use strict';

const state = { session: null, current: null };
const CATEGORY_NAMES = { professional: '专业科目', general_public: '一般公需科目', industry_public: '行业公需科目' };
const ROLE_NAMES = { employer: '用人单位', authority: '人力社保部门', provider: '培训机构' };

const api = (path, options) => callApi(path, options, { csrfToken: state.session && state.session.csrfToken });

const show = (id, visible) => ($(id).hidden = !visible);

async function enter(session) {
  const reviewer = session.acting.filter((a) => a.role === 'employer' || a.role === 'authority');
  if (reviewer.length === 0) {
    $('sign-in-error').textContent = '该单位未登记为用人单位或人力社保部门，不能审核学时申报。';
    show('sign-in', true);
    return;
  }
  state.session = session;
  $('who').textContent = reviewer.map((a) => `${a.name}（${ROLE_NAMES[a.role]}）`).join('、');
  show('sign-in', false);
  show('queue-section', true);
  await loadQueue();
}

async function signOut() {
  await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
  state.session = null;
  show('queue-section', false);
  show('detail-section', false);
  show('sign-in', true);
}

async function loadQueue() {
  try {
    const status = $('queue-status').value;
    const { items } = await api(`/api/v1/reviews?status=${status}`);
    $('queue-count').hidden = status !== 'pending' || items.length === 0;
    $('queue-count').textContent = String(items.length);
    if (items.length === 0) {
      $('queue').replaceChildren(el('p', {}, status === 'pending' ? '目前没有待您审核的申报。' : '您还没有审核过申报。'));
      return;
    }
    const rows = items.map((item) => {
      const open = el('button', { type: 'button', class: 'secondary', 'data-open': item.id }, '查看');
      open.addEventListener('click', () => void openActivity(item.id));
      return el(
        'tr',
        { 'data-activity': item.id },
        el('td', {}, item.createdAt.slice(0, 10)),
        el('td', {}, item.person.name, el('br'), item.person.idNumberMasked),
        el('td', {}, item.title, el('br'), el('span', { class: 'note' }, item.activityType.name)),
        el('td', { class: 'hours' }, `${item.hours}`),
        el('td', {}, item.reversed ? '已冲销' : item.statusName),
        el('td', {}, open),
      );
    });
    $('queue').replaceChildren(
      el('table', {}, el('thead', {}, el('tr', {}, ...['提交日期', '申报人', '活动', '学时', '状态', ''].map((h) => el('th', {}, h)))), el('tbody', {}, ...rows)),
    );
  } catch (error) {
    $('queue').replaceChildren(el('p', { class: 'error' }, `无法读取：${error.message}`));
  }
}

/** Shows an evidence file in the page: fetched with the session, displayed from a blob: URL. */
async function preview(activity, file) {
  const response = await fetch(`/api/v1/reviews/${activity.id}/evidence/${file.id}`);
  if (!response.ok) {
    $('preview').replaceChildren(el('p', { class: 'error' }, '无法打开证明材料。'));
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const view = file.mediaType === 'application/pdf' ? el('iframe', { src: url, title: file.fileName }) : el('img', { src: url, alt: file.fileName });
  $('preview').replaceChildren(el('p', {}, `证明材料：${file.fileName}`), view);
}

async function openActivity(id) {
  const activity = await api(`/api/v1/reviews/${id}`);
  state.current = activity;
  const files = activity.evidence.map((file) => {
    const button = el('button', { type: 'button', class: 'secondary', 'data-evidence': file.id }, `${file.fileName}（${Math.ceil(file.size / 1024)} KB）`);
    button.addEventListener('click', () => void preview(activity, file));
    return button;
  });
  $('detail').replaceChildren(
    el(
      'table',
      {},
      el(
        'tbody',
        {},
        ...[
          ['申报人', `${activity.person.name}（身份证号 ${activity.person.idNumberMasked}）`],
          ['用人单位', activity.employer.name],
          ['活动类型', activity.activityType.name],
          ['活动名称', activity.title],
          ['主办单位', activity.organiser],
          ['完成日期', activity.completedOn],
          ['申报学时', `${CATEGORY_NAMES[activity.category]} ${activity.hours} 学时`],
          ['状态', activity.reversed ? '已冲销' : activity.statusName],
        ].map(([name, value]) => el('tr', {}, el('th', {}, name), el('td', {}, value))),
      ),
    ),
    el('div', { class: 'evidence-list' }, ...files),
    el(
      'ol',
      { class: 'steps' },
      ...activity.steps.map((step) =>
        el('li', {}, `${step.at.slice(0, 16).replace('T', ' ')}　${step.actor.name}：${step.actionName}`, step.comment ? el('span', { class: 'comment' }, `意见：${step.comment}`) : ''),
      ),
    ),
  );
  $('preview').replaceChildren();
  $('decision-message').textContent = '';
  $('decision-comment').value = '';
  const mine = state.session.acting.some((a) => activity.status === `pending_${a.role}`);
  show('decision-form', mine);
  show('detail-section', true);
  if (activity.evidence[0]) await preview(activity, activity.evidence[0]);
  $('detail-section').scrollIntoView();
}

async function decide(decision) {
  const comment = $('decision-comment').value.trim();
  if (decision === 'reject' && !comment) {
    $('decision-message').textContent = '不通过时请填写审核意见，申报人会看到它。';
    $('decision-comment').focus();
    return;
  }
  try {
    const after = await api(`/api/v1/reviews/${state.current.id}/decision`, { method: 'POST', body: JSON.stringify({ decision, ...(comment ? { comment } : {}) }) });
    $('decision-message').textContent = `已${decision === 'approve' ? '通过' : '退回'}：${after.statusName}。`;
    show('decision-form', false);
    $('preview').replaceChildren();
    await loadQueue();
  } catch (error) {
    $('decision-message').textContent = `未能提交：${error.message}`;
  }
}

async function start() {
  $('sign-out').addEventListener('click', () => void signOut());
  $('queue-status').addEventListener('change', () => void loadQueue());
  $('approve').addEventListener('click', () => void decide('approve'));
  $('reject').addEventListener('click', () => void decide('reject'));
  await startOrganisationPage(() => ({ orgCode: $('org-code').value.trim() }), enter);
}

void start();
