// 申报学时 on the applicant's page: report an activity with evidence, follow its review. Uses app.js's api() and state.
'use strict';

const SEEN_KEY = 'ce-ledger-activities-seen';
const activityState = { types: [] };

function renderTypeHelp() {
  const type = activityState.types.find((t) => t.code === $('activity-type').value);
  if (!type) return;
  $('activity-category').replaceChildren(...type.categories.map((c) => el('option', { value: c }, CATEGORY_NAMES[c])));
  $('activity-hours').max = String(type.maxHoursPerItem);
  $('activity-caps').textContent =
    `“${type.name}”可计入：${type.categories.map((c) => CATEGORY_NAMES[c]).join('、')}；每项最多 ${type.maxHoursPerItem} 学时，` +
    `每年最多 ${type.maxHoursPerYear} 学时（含待审核的申报）${type.evidenceRequired ? '；须上传证明材料' : ''}。`;
}

async function loadActivityTypes() {
  if (activityState.types.length > 0) return;
  const { items, reviewStages } = await api('/api/v1/activity-types');
  activityState.types = items;
  $('stages-note').hidden = !reviewStages.includes('authority');
  $('activity-type').replaceChildren(...activityState.types.map((t) => el('option', { value: t.code }, t.name)));
  renderTypeHelp();
}

/** Sends the form with XMLHttpRequest, for its upload progress. */
function submitActivity(event) {
  event.preventDefault();
  const form = $('activity-form');
  const data = new FormData(form);
  if (!data.get('personName')) data.delete('personName');
  $('activity-message').replaceChildren();
  $('activity-progress-box').hidden = false;
  $('activity-progress').value = 0;
  $('activity-progress-label').textContent = '正在上传……';
  const request = new XMLHttpRequest();
  request.open('POST', '/api/v1/me/activities');
  request.setRequestHeader('accept-language', 'zh-CN');
  if (state.token) request.setRequestHeader('authorization', `Bearer ${state.token}`);
  else if (state.session) request.setRequestHeader('x-csrf-token', state.session.csrfToken);
  request.upload.addEventListener('progress', (progress) => {
    if (!progress.lengthComputable) return;
    $('activity-progress').value = Math.round((progress.loaded / progress.total) * 100);
    $('activity-progress-label').textContent = `已上传 ${$('activity-progress').value}%`;
  });
  request.addEventListener('load', () => {
    $('activity-progress-box').hidden = true;
    let body = null;
    try {
      body = JSON.parse(request.responseText);
    } catch {}
    if (request.status === 201) {
      $('activity-message').replaceChildren(el('p', { class: 'outcome eligible' }, `已提交：“${body.title}”${body.hours} 学时，等待${body.employer.name}审核。`));
      form.reset();
      renderTypeHelp();
      void loadActivities();
      return;
    }
    const problems = (body && body.errors) || [];
    $('activity-message').replaceChildren(
      el('p', { class: 'error', role: 'alert' }, `未能提交：${(body && body.detail) || `HTTP ${request.status}`}`),
      problems.length ? el('ul', { class: 'error' }, ...problems.map((p) => el('li', {}, p.message))) : '',
    );
  });
  request.addEventListener('error', () => {
    $('activity-progress-box').hidden = true;
    $('activity-message').replaceChildren(el('p', { class: 'error', role: 'alert' }, '网络连接中断，未能提交，请重试。'));
  });
  request.send(data);
}

function renderActivity(activity, seen) {
  const reviewedSince = activity.steps.some((step) => step.actor.kind !== 'applicant' && step.at > seen);
  const steps = activity.steps.map((step) =>
    el(
      'li',
      {},
      `${step.at.slice(0, 16).replace('T', ' ')}　${step.stageName ? `${step.stageName}（${step.actor.name}）` : step.actor.kind === 'applicant' ? '本人' : step.actor.name}：${step.actionName}`,
      step.comment ? el('span', { class: 'comment' }, `意见：${step.comment}`) : '',
    ),
  );
  const withdraw = activity.status.startsWith('pending_')
    ? el('button', { type: 'button', class: 'secondary', 'data-withdraw': activity.id }, '撤回申报')
    : '';
  if (withdraw) {
    withdraw.addEventListener('click', async () => {
      if (!confirm(`撤回“${activity.title}”的申报？`)) return;
      await api(`/api/v1/me/activities/${activity.id}/withdrawal`, { method: 'POST' }).catch((error) => alert(`未能撤回：${error.message}`));
      void loadActivities();
    });
  }
  return el(
    'article',
    { class: reviewedSince ? 'activity updated' : 'activity', 'data-activity': activity.id },
    el('h4', {}, activity.title, ' ', el('span', { class: `status ${activity.status}` }, activity.reversed ? '已冲销' : activity.statusName)),
    el('p', {}, `${activity.activityType.name}｜${CATEGORY_NAMES[activity.category]} ${activity.hours} 学时｜完成日期 ${activity.completedOn}｜主办：${activity.organiser}｜用人单位：${activity.employer.name}`),
    el(
      'p',
      { class: 'evidence-list' },
      '证明材料：',
      ...activity.evidence.map((file) => {
        const link = el('a', { href: '#' }, file.fileName);
        link.addEventListener('click', (event) => {
          event.preventDefault();
          void downloadFile(`/api/v1/me/activities/${activity.id}/evidence/${file.id}`, file.fileName).catch(() => undefined);
        });
        return link;
      }),
    ),
    el('ol', { class: 'steps' }, ...steps),
    withdraw,
  );
}

async function loadActivities() {
  try {
    await loadActivityTypes();
    const name = (state.ledger && state.ledger.person.name) || (state.session && state.session.name);
    $('activity-name-field').hidden = Boolean(name);
    $('activity-name').required = !name;
    const { items } = await api('/api/v1/me/activities');
    const seen = localStorage.getItem(SEEN_KEY) || '';
    const news = items.filter((a) => a.steps.some((step) => step.actor.kind !== 'applicant' && step.at > seen)).length;
    $('activities-badge').hidden = news === 0;
    $('activities-badge').textContent = news ? `${news} 条新进展` : '';
    $('activities').replaceChildren(...(items.length ? items.map((a) => renderActivity(a, seen)) : [el('p', {}, '还没有申报。')]));
    if (news) {
      const done = el('button', { type: 'button', class: 'secondary', id: 'activities-seen' }, '我已看过这些进展');
      done.addEventListener('click', () => {
        localStorage.setItem(SEEN_KEY, new Date().toISOString());
        void loadActivities();
      });
      $('activities').prepend(done);
    }
  } catch (error) {
    $('activities').replaceChildren(el('p', { class: 'error' }, `无法读取申报：${error.message}`));
  }
}

$('activity-type').addEventListener('change', renderTypeHelp);
$('activity-form').addEventListener('submit', submitActivity);
