// The providers' page: a session of the provider's staff (the SSO, or the development sign-in), the same API as every client.
'use strict';

const state = { session: null, polling: null };
const CATEGORY_NAMES = { professional: '专业科目', general_public: '一般公需科目', industry_public: '行业公需科目' };
const STATUS_NAMES = { queued: '排队中', processing: '处理中', completed: '已完成', failed: '失败' };


const api = (path, options) => callApi(path, options, { csrfToken: state.session && state.session.csrfToken });

const show = (id, visible) => ($(id).hidden = !visible);

async function enter(session) {
  state.session = session;
  $('who').textContent = `${session.acting.map((a) => a.name).join('、')}（${session.name}）`;
  show('sign-in', false);
  show('upload-section', true);
  show('entries-section', true);
  await Promise.all([loadImports(), loadEntries()]);
}

async function signOut() {
  await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
  state.session = null;
  show('upload-section', false);
  show('entries-section', false);
  show('sign-in', true);
}

/** Uploads with XMLHttpRequest, for its upload progress; then follows the import as the job works. */
function upload(file) {
  $('upload-error').textContent = '';
  show('progress-box', true);
  $('progress').value = 0;
  $('progress-label').textContent = `正在上传 ${file.name} ……`;
  const form = new FormData();
  form.append('file', file, file.name);
  const request = new XMLHttpRequest();
  request.open('POST', '/api/v1/hours/imports');
  request.setRequestHeader('accept-language', 'zh-CN');
  request.setRequestHeader('x-csrf-token', state.session.csrfToken);
  request.upload.addEventListener('progress', (event) => {
    if (event.lengthComputable) $('progress').value = Math.round((event.loaded / event.total) * 20);
  });
  request.addEventListener('load', () => {
    const body = JSON.parse(request.responseText || 'null');
    if (request.status >= 400) {
      show('progress-box', false);
      $('upload-error').textContent = `无法导入：${(body && (body.errors || []).map((e) => e.message).join('；')) || (body && body.detail) || request.status}`;
      return;
    }
    if (request.status === 200) $('progress-label').textContent = '这个文件上传过，显示的是之前的处理结果。';
    follow(body.id);
  });
  request.addEventListener('error', () => ($('upload-error').textContent = '上传失败，请检查网络后重试。'));
  request.send(form);
}

function follow(id) {
  clearInterval(state.polling);
  const tick = async () => {
    const status = await api(`/api/v1/hours/imports/${id}`).catch(() => null);
    if (!status) return;
    const share = status.totalRows ? status.processedRows / status.totalRows : 0;
    $('progress').value = 20 + Math.round(share * 80);
    $('progress-label').textContent = `${status.fileName}：${STATUS_NAMES[status.status]}，已处理 ${status.processedRows} / ${status.totalRows} 行（已记录 ${status.created}，已存在 ${status.replayed}，错误 ${status.rejected}）`;
    if (status.status === 'completed' || status.status === 'failed') {
      clearInterval(state.polling);
      $('progress').value = 100;
      void loadImports();
      void loadEntries();
    }
  };
  void tick();
  state.polling = setInterval(tick, 700);
}

async function loadImports() {
  const list = await api('/api/v1/hours/imports');
  $('imports').replaceChildren(
    list.length === 0
      ? el('p', {}, '还没有导入过名单。')
      : el(
          'table',
          {},
          el('thead', {}, el('tr', {}, ['文件', '状态', '行数', '已记录', '已存在', '错误', '处理结果'].map((h) => el('th', {}, h)))),
          el(
            'tbody',
            {},
            list.map((item) =>
              el(
                'tr',
                { 'data-import': item.id },
                el('td', {}, item.fileName),
                el('td', {}, STATUS_NAMES[item.status]),
                el('td', { class: 'hours' }, item.totalRows),
                el('td', { class: 'hours' }, item.created),
                el('td', { class: 'hours' }, item.replayed),
                el('td', { class: item.rejected ? 'hours missing' : 'hours' }, item.rejected),
                el('td', {}, item.status === 'completed' ? el('a', { href: `/api/v1/hours/imports/${item.id}/report` }, '下载 .xlsx') : '—'),
              ),
            ),
          ),
        ),
  );
}

async function loadEntries(event) {
  if (event) event.preventDefault();
  const query = new URLSearchParams({ limit: '50' });
  if ($('search-course').value.trim()) query.set('course', $('search-course').value.trim());
  if ($('search-date').value) query.set('completedOn', $('search-date').value);
  const page = await api(`/api/v1/hours?${query}`);
  $('entries').replaceChildren(
    page.items.length === 0
      ? el('p', {}, '没有符合条件的记录。')
      : el(
          'table',
          {},
          el('thead', {}, el('tr', {}, ['完成日期', '姓名', '身份证号', '课程', '科目', '学时', ''].map((h) => el('th', {}, h)))),
          el('tbody', {}, page.items.map(entryRow)),
        ),
  );
}

function entryRow(entry) {
  const action = el('td', {});
  if (!entry.reversesEntryId && !entry.reversedByEntryId) {
    const button = el('button', { type: 'button', class: 'secondary' }, '冲销');
    button.addEventListener('click', () => {
      const form = el('form', { class: 'reversal' }, el('label', { for: `reason-${entry.id}` }, '冲销原因'), el('input', { id: `reason-${entry.id}`, required: 'required' }), el('button', { type: 'submit' }, '确认冲销'));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          await api(`/api/v1/hours/${entry.id}/reversal`, { method: 'POST', body: JSON.stringify({ reason: form.querySelector('input').value }) });
          await loadEntries();
        } catch (error) {
          action.append(el('p', { class: 'error' }, `无法冲销：${error.message}`));
        }
      });
      action.replaceChildren(form);
      form.querySelector('input').focus();
    });
    action.append(button);
  } else action.append(entry.reversesEntryId ? `冲销：${entry.reversalReason || ''}` : '已冲销');
  return el(
    'tr',
    { class: entry.reversesEntryId ? 'reversal' : '', 'data-entry': entry.id },
    el('td', {}, entry.completedOn),
    el('td', {}, entry.personName),
    el('td', {}, entry.idNumberMasked),
    el('td', {}, entry.courseTitle),
    el('td', {}, CATEGORY_NAMES[entry.category]),
    el('td', { class: 'hours' }, entry.hours),
    action,
  );
}

async function start() {
  $('sign-out').addEventListener('click', () => void signOut());
  $('search-form').addEventListener('submit', loadEntries);
  $('file-input').addEventListener('change', () => $('file-input').files[0] && upload($('file-input').files[0]));
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    if (event.dataTransfer.files[0]) upload(event.dataTransfer.files[0]);
  });
  zone.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') $('file-input').click();
  });
  await startOrganisationPage(() => ({ providerCode: $('provider-code').value.trim() }), enter);
}

void start();
