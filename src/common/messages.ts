/**
 * The one message catalogue: every text a client reads (problem details' title and detail, every
 * field error) in plain Chinese, and in English for clients whose Accept-Language prefers it.
 * Code names a message by its key and parameters; it is rendered only when the response is written.
 * Placeholders are `{name}`; `{field}` is the field's label (身份证号 …) in the response's language.
 */
export type Lang = 'zh' | 'en';
export type MessageParams = Record<string, string | number | readonly (string | number)[] | undefined>;

interface Text {
  zh: string;
  en: string;
}

export const MESSAGES = {
  // Problem details' details
  'REQUEST.INVALID': { zh: '请求中有不符合要求的字段，详见 errors。', en: 'The request has invalid fields; see errors.' },
  'REQUEST.MALFORMED': { zh: '请求体不是有效的 JSON，或格式无法解析。', en: 'The request body is not valid JSON or cannot be parsed.' },
  'REQUEST.TOO_DEEP': { zh: 'JSON 嵌套超过 32 层。', en: 'The JSON is nested deeper than 32 levels.' },
  'REQUEST.TOO_LARGE': { zh: '请求体超过此接口允许的大小。', en: 'The request body is larger than this endpoint accepts.' },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': { zh: '不支持此 Content-Type，请发送 application/json。', en: 'Unsupported Content-Type; send application/json.' },
  'REQUEST.ROUTE_NOT_FOUND': { zh: '没有这个接口：{method} {url}。', en: 'No such endpoint: {method} {url}.' },
  'REQUEST.FAILED': { zh: '请求未能处理（HTTP {status}）。', en: 'The request could not be handled (HTTP {status}).' },
  'SERVICE.UNAVAILABLE': { zh: '数据库或队列暂时无法访问，请稍后重试。', en: 'The database or the queue cannot be reached right now; retry shortly.' },
  'SERVICE.TIMEOUT': { zh: '服务在规定时间内未能完成请求（数据库或队列响应过慢），请稍后重试。', en: 'The request was not answered in time (the database or the queue is too slow); retry shortly.' },
  INTERNAL: { zh: '服务器处理请求时出错，已记录日志。', en: 'The server failed to handle the request; it has been logged.' },
  'AUTH.UNAUTHENTICATED': {
    zh: '请提供有效的凭证：Authorization: Bearer <API 密钥或申请人令牌>。',
    en: 'Send Authorization: Bearer <API key or applicant token>.',
  },
  'AUTH.FORBIDDEN': { zh: '您的角色无权调用此接口。', en: 'Your role may not call this endpoint.' },
  'AUTH.CSRF': { zh: '使用登录会话的修改类请求须带上 X-CSRF-Token（会话的 csrfToken）。', en: 'A state-changing request made with the session cookie must carry X-CSRF-Token (the session’s csrfToken).' },
  'AUTH.SIGN_IN_REFUSED': { zh: '登录未成功：{reason}', en: 'Sign-in refused: {reason}' },
  'AUTH.RATE_LIMITED': { zh: '请求过于频繁，请 {seconds} 秒后重试。', en: 'Too many requests; retry in {seconds} s.' },
  'ADMIN.PROVIDER_CODE_TAKEN': { zh: '代码为“{code}”的培训机构已存在。', en: 'A provider with code "{code}" exists already.' },
  'ADMIN.EMPLOYER_TAKEN': { zh: '统一社会信用代码为“{orgCode}”的用人单位已登记。', en: 'An employer with orgCode "{orgCode}" is registered already.' },
  'ADMIN.ORG_CODE_TAKEN': { zh: '统一社会信用代码“{orgCode}”已由其他接入方使用。', en: 'orgCode "{orgCode}" belongs to another client already.' },
  'ADMIN.PERSON_NOT_FOUND': { zh: '此身份证号尚无任何学时记录。', en: 'No hours have been recorded for this ID number.' },
  'ADMIN.NAME_UNCHANGED': { zh: '新姓名与已登记的姓名相同。', en: 'The new name is the name on record already.' },
  'LEDGER.ENTRY_CONFLICT': { zh: '记录编号已用于内容不同的记录。', en: 'An externalId was recorded before with different content.' },
  'LEDGER.BATCH_REJECTED': { zh: '未记录任何条目：部分条目有误，详见 errors。', en: 'Nothing was recorded: some entries are invalid; see errors.' },
  'LEDGER.ENTRY_NOT_FOUND': { zh: '本机构没有记录 {id}。', en: 'No entry {id} recorded by this provider.' },
  'LEDGER.EXTERNAL_ID_NOT_FOUND': { zh: '本机构没有记录编号为“{externalId}”的有效记录。', en: 'No unreversed entry with externalId "{externalId}" recorded by this provider.' },
  'LEDGER.REVERSAL_NOT_REVERSIBLE': { zh: '冲销记录本身不能再冲销。', en: 'A reversing entry cannot itself be reversed.' },
  'LEDGER.ALREADY_REVERSED': { zh: '记录 {id} 已被冲销。', en: 'Entry {id} has been reversed already.' },
  'LEDGER.PERSON_NOT_FOUND': { zh: '此身份证号尚无任何学时记录。', en: 'No hours have been recorded for this ID number.' },
  'RULES.NOT_FOUND': { zh: '没有规则集“{id}”。', en: 'No rule set "{id}".' },
  'RULES.NOT_IN_FORCE': {
    zh: '{city}在 {applicationYear} 年没有生效的规则：其第一份文件自 {firstEffective} 年起适用。',
    en: 'No rule set of {city} is in force for application year {applicationYear}: its first notice applies from {firstEffective}.',
  },
  'CERTIFICATION.ROSTER_INVALID': { zh: '未提交任何内容：花名册中有不符合要求的行，详见 errors。', en: 'Nothing was submitted: some requests are invalid; see errors.' },
  'CERTIFICATION.IDEMPOTENCY_CONFLICT': { zh: '此 Idempotency-Key 曾用于内容不同的请求。', en: 'This Idempotency-Key was used before with a different request.' },
  'CERTIFICATION.NOT_FOUND': { zh: '没有资格审查 {id}。', en: 'No certification {id}.' },
  'CERTIFICATION.BATCH_NOT_FOUND': { zh: '没有资格审查花名册 {id}。', en: 'No certification batch {id}.' },
  'KEYS.LIMIT': { zh: '最多同时有 {max} 个有效的 API 密钥，请先吊销不用的密钥。', en: 'At most {max} active API keys; revoke one you no longer use first.' },
  'KEYS.NOT_FOUND': { zh: '没有您的密钥 {id}。', en: 'No key {id} of yours.' },
  'KEYS.NO_CLIENT': { zh: '只有 API 密钥的持有方（接入方）才能管理密钥；启动密钥和登录会话不能。', en: 'Only an API client manages keys; the bootstrap key and sessions cannot.' },
  'HOURS_CERTIFICATE.NOT_FOUND': { zh: '没有学时证明 {id}。', en: 'No hours certificate {id}.' },
  'VERIFICATION.NOT_FOUND': { zh: '没有这个核验码对应的证明。请核对二维码或链接是否完整。', en: 'No certificate has this verification code.' },
  'CERTIFICATION.NOT_COMPLETED': { zh: '资格审查尚未完成，完成后才能打印结果。', en: 'The certification is not completed yet; its result can be printed once it is.' },
  'IMPORT.NOT_FOUND': { zh: '本机构没有导入 {id}。', en: 'No import {id} of this provider.' },
  'IMPORT.NO_FILE': { zh: '请以 multipart/form-data 上传一个名为 file 的文件。', en: 'Upload one file part named file (multipart/form-data).' },
  'IMPORT.TOO_LARGE': { zh: '文件超过 20 MB，请拆分后分批上传。', en: 'The file is larger than 20 MB; split it.' },
  'IMPORT.NOT_SPREADSHEET': { zh: '文件不是 .xlsx 或 .csv 电子表格（按文件内容判断，与文件名无关）。', en: 'The file is not an .xlsx or .csv spreadsheet (judged by its content, not its name).' },
  'IMPORT.ENCRYPTED': { zh: '文件是加密的工作簿或旧版 .xls 格式：请取消密码后另存为 .xlsx 再上传。', en: 'The file is an encrypted workbook or an old .xls: remove the password and save it as .xlsx.' },
  'IMPORT.MACRO': { zh: '文件含有宏（VBA），不予接收：请另存为不含宏的 .xlsx 再上传。', en: 'The workbook contains macros (VBA); save it as an .xlsx without them.' },
  'IMPORT.ZIP_BOMB': { zh: '文件解压后过大（超过 200 MB），不予处理。', en: 'The file unpacks to more than 200 MB; it is not processed.' },
  'IMPORT.UNREADABLE': { zh: '文件无法读取：它可能已损坏。', en: 'The file cannot be read; it may be damaged.' },
  'IMPORT.MISSING_HEADERS': { zh: '表头缺少必填列：{headers}。请使用导入模板的表头。', en: 'The header row lacks required columns: {headers}. Use the template’s headers.' },
  'IMPORT.TOO_MANY_ROWS': { zh: '数据超过 {max} 行，请拆分后分批上传。', en: 'More than {max} data rows; split the file.' },
  'IMPORT.NO_ROWS': { zh: '文件中没有数据行。', en: 'The file has no data rows.' },
  'SELF_REPORT.NOT_FOUND': { zh: '没有您可查看的学时申报 {id}。', en: 'No self-reported activity {id} that you may see.' },
  'SELF_REPORT.EVIDENCE_NOT_FOUND': { zh: '没有这份证明材料。', en: 'No such evidence file.' },
  'SELF_REPORT.NOT_PENDING': { zh: '此申报当前状态为“{status}”，只有待审核的申报可以撤回。', en: 'This report is "{status}"; only a report awaiting review can be withdrawn.' },
  'SELF_REPORT.NOT_AWAITING_STAGE': { zh: '此申报当前状态为“{status}”，不在待您审核的环节（可能已审核过）。', en: 'This report is "{status}"; it does not await your decision (it may have been decided already).' },
  'SELF_REPORT.NOT_APPROVED': { zh: '此申报当前状态为“{status}”，只有已通过并计入学时的申报可以冲销。', en: 'This report is "{status}"; only an approved, recorded report can be reversed.' },
  'SELF_REPORT.SIGN_IN_AGAIN': { zh: '请重新登录后再申报（当前登录不含申报所需的身份信息）。', en: 'Sign in again to report (this session lacks what a report needs).' },
  'SELF_REPORT.NO_FORM': { zh: '请以 multipart/form-data 提交申报：各字段，以及 1–5 个名为 evidence 的证明材料文件。', en: 'Send the report as multipart/form-data: its fields and 1-5 file parts named evidence.' },
  'QUEUE.UNAVAILABLE': { zh: '资格审查队列暂不可用，未提交任何内容，请稍后重试。', en: 'The certification queue is unavailable; nothing was submitted. Retry shortly.' },

  // Field errors (the path names the field; {field} is its label)
  'FIELD.REQUIRED': { zh: '{field}为必填项', en: '{field} is required' },
  'FIELD.UNKNOWN': { zh: '不允许的字段 {name}', en: 'property {name} should not exist' },
  'FIELD.TYPE': { zh: '{field}必须是{type}', en: '{field} must be {type}' },
  'FIELD.ONE_OF': { zh: '{field}必须是以下之一：{values}', en: '{field} must be one of the following values: {values}' },
  'FIELD.MAX_LENGTH': { zh: '{field}最多 {max} 个字符', en: '{field} must be shorter than or equal to {max} characters' },
  'FIELD.MIN_LENGTH': { zh: '{field}至少 {min} 个字符', en: '{field} must be longer than or equal to {min} characters' },
  'FIELD.LENGTH': { zh: '{field}须为 {min}–{max} 个字符', en: '{field} must be {min}-{max} characters' },
  'FIELD.MIN': { zh: '{field}不能小于 {min}', en: '{field} must not be less than {min}' },
  'FIELD.MAX': { zh: '{field}不能大于 {max}', en: '{field} must not be greater than {max}' },
  'FIELD.MIN_ITEMS': { zh: '{field}至少要有 {min} 项', en: '{field} must contain at least {min} elements' },
  'FIELD.MAX_ITEMS': { zh: '{field}最多 {max} 项', en: '{field} must contain no more than {max} elements' },
  'FIELD.BLANK': { zh: '{field}不能为空白', en: '{field} must not be blank' },
  'FIELD.INVALID': { zh: '{field}不符合要求', en: '{field} is invalid' },
  'FIELD.TAKEN': { zh: '{field}“{value}”已被使用', en: '{field} "{value}" is taken' },
  'FIELD.URL': { zh: '{field}必须是 http 或 https 网址', en: '{field} must be an http or https URL' },
  'FIELD.CALLBACK_HTTPS': { zh: '{field}在生产环境中必须使用 https', en: '{field} must be https in production' },
  'FIELD.CALLBACK_NOT_PUBLIC': {
    zh: '{field}的主机 {host} 不是公网地址（回环、内网、链路本地等地址不允许；如确需，请由运维加入 WEBHOOK_ALLOWED_HOSTS）',
    en: '{field} host {host} is not a public address (loopback, private and link-local addresses are refused unless listed in WEBHOOK_ALLOWED_HOSTS)',
  },
  'FIELD.CALLBACK_UNRESOLVED': { zh: '{field}的主机 {host} 无法解析', en: '{field} host {host} does not resolve' },
  'FIELD.PROVIDER_CODE': { zh: '{field}须为 2–64 个字母、数字、- 或 _', en: '{field} must be 2-64 letters, digits, - or _' },
  'FIELD.EXTERNAL_ID': { zh: '{field}须为 1–128 个字母、数字或 -_.:/', en: '{field} must be 1-128 letters, digits or -_.:/' },
  'FIELD.CITY': { zh: '{field}须为城市代码，如 lishui、quzhou、wenzhou', en: '{field} must be a city code such as lishui, quzhou or wenzhou' },
  'FIELD.UNKNOWN_CITY': { zh: '没有城市“{city}”的规则；现有：{cities}', en: 'unknown city "{city}"; rule sets exist for {cities}' },
  'FIELD.UNKNOWN_SERIES': { zh: '没有职称系列“{series}”；可选：{codes}', en: 'unknown series "{series}"; the series are {codes}' },
  'FIELD.SERIES': { zh: '{field}须为系列代码，如 engineering、accounting', en: '{field} must be a series code such as engineering or accounting' },
  'FIELD.ID_NUMBER_FORMAT': { zh: '{field}须为 18 位：17 位数字加 1 位校验码（0–9 或 X）', en: '{field} must be 18 characters: 17 digits and a check digit (0-9 or X)' },
  'FIELD.ID_NUMBER_REGION': { zh: '{field}前两位不是有效的省级行政区划代码（GB/T 2260）', en: '{field} must start with a province code of GB/T 2260' },
  'FIELD.ID_NUMBER_BIRTH_DATE': { zh: '{field}第 7–14 位须为真实的出生日期', en: '{field} must contain a real birth date (characters 7-14, YYYYMMDD)' },
  'FIELD.ID_NUMBER_CHECK_DIGIT': { zh: '{field}校验码不正确（GB 11643）', en: '{field} has a wrong check digit (GB 11643)' },
  'FIELD.ORG_CODE_FORMAT': { zh: '{field}须为 18 位统一社会信用代码', en: '{field} must be an 18-character unified social credit code' },
  'FIELD.ORG_CODE_CHECK': { zh: '{field}校验码不正确（GB 32100）', en: '{field} has a wrong check character (GB 32100)' },
  'FIELD.DATE_FORMAT': { zh: '{field}须为真实日期，格式 YYYY-MM-DD', en: '{field} must be a real date written YYYY-MM-DD' },
  'FIELD.DATE_TOO_EARLY': { zh: '{field}不能早于 {min}', en: '{field} must not be before {min}' },
  'FIELD.DATE_IN_FUTURE': { zh: '{field}不能晚于今天', en: '{field} must not be in the future' },
  'FIELD.HOURS_POSITIVE': { zh: '{field}必须大于 0', en: '{field} must be more than 0' },
  'FIELD.HOURS_MAX': { zh: '{field}不能超过 {max}', en: '{field} must be at most {max}' },
  'FIELD.HOURS_MIN': { zh: '{field}至少为 0.1', en: '{field} must be at least 0.1' },
  'FIELD.HOURS_PER_DAY': {
    zh: '同一培训机构为同一人在同一完成日期登记的学时合计不能超过 {max}',
    en: 'hours one provider records for one person on one completion date must not exceed {max} in all',
  },
  'FIELD.HOURS_ONE_DECIMAL': { zh: '{field}最多一位小数', en: '{field} must have at most one decimal' },
  'FIELD.YEAR_RANGE': { zh: '{field}须为 {min}–{max} 之间的整年', en: '{field} must be a whole year from {min} to {max}' },
  'FIELD.NOT_AFTER': { zh: '{field}不能晚于{other}', en: '{field} must not be after {other}' },
  'FIELD.REQUIRED_FOR_RULE': {
    zh: '按{city}{track}{titleLevel}的规则，{field}为必填项',
    en: '{field} is required for {city} {track} to {titleLevel}',
  },
  'FIELD.PLAN_YEAR': { zh: '{field}须为今年（{min}）或以后：已过去的年度无法再取得学时', en: '{field} must be this year ({min}) or later: past years cannot gain hours' },
  'FIELD.YEAR_SPAN': { zh: '一份学时证明最多涵盖 {max} 个年度', en: 'a certificate covers at most {max} years' },
  'FIELD.YEAR_NOT_FUTURE': { zh: '{field}不能晚于今年（{max}）', en: '{field} must not be after this year ({max})' },
  'FIELD.CURSOR': { zh: '{field}不是本服务返回的游标', en: '{field} is not one this service returned' },
  'FIELD.IDEMPOTENCY_KEY': { zh: '{field}须为 1–200 个可打印 ASCII 字符', en: '{field} must be 1-200 printable ASCII characters' },
  'FIELD.EXTERNAL_ID_CONFLICT': {
    zh: '记录编号“{externalId}”已以不同内容记录过（记录 {entryId}）',
    en: 'externalId "{externalId}" was recorded with different content (entry {entryId})',
  },
  'FIELD.ONLY_FOR_ROLE': { zh: '{field}只适用于角色 {role}', en: '{field} applies to role {role} only' },
  'FIELD.UNKNOWN_EMPLOYER': { zh: '没有这个用人单位，请先登记（POST /api/v1/admin/employers）', en: 'no such employer; register it first (POST /api/v1/admin/employers)' },
  'FIELD.UNKNOWN_ACTIVITY_TYPE': { zh: '没有这种活动类型；可选：{codes}', en: 'unknown activity type; the types are {codes}' },
  'FIELD.CATEGORY_NOT_ALLOWED': { zh: '“{type}”只能计入：{categories}', en: '"{type}" counts towards {categories} only' },
  'FIELD.ACTIVITY_ITEM_CAP': { zh: '“{type}”每项最多 {max} 学时', en: '"{type}" is worth at most {max} hours an item' },
  'FIELD.ACTIVITY_YEAR_CAP': {
    zh: '“{type}”每年最多 {max} 学时：{year}年已申报（含待审核）{counted} 学时，最多还可申报 {left} 学时',
    en: '"{type}" is worth at most {max} hours a year: {counted} reported for {year} already (pending included), {left} left',
  },
  'FIELD.EVIDENCE_REQUIRED': { zh: '请上传至少 1 份证明材料（PDF、JPG 或 PNG）', en: 'upload at least one evidence file (PDF, JPEG or PNG)' },
  'FIELD.EVIDENCE_TYPE': { zh: '“{name}”不是 PDF、JPG 或 PNG 文件（按文件内容判断，与文件名无关）', en: '"{name}" is not a PDF, JPEG or PNG file (judged by its content, not its name)' },
  'FIELD.EVIDENCE_TOO_LARGE': { zh: '每份证明材料不能超过 {max} MB', en: 'each evidence file must be at most {max} MB' },
  'FIELD.EVIDENCE_TOO_MANY': { zh: '最多上传 {max} 份证明材料', en: 'at most {max} evidence files' },
  'FIELD.EVIDENCE_EMPTY': { zh: '“{name}”是空文件', en: '"{name}" is empty' },
  'FIELD.UNKNOWN_EMPLOYER_CODE': { zh: '统一社会信用代码为 {orgCode} 的用人单位尚未在本服务登记，请联系单位人事部门', en: 'no employer with orgCode {orgCode} is registered with the service' },
  'FIELD.NAME_MISMATCH': {
    zh: '姓名与身份证号已登记的姓名不一致',
    en: 'personName differs from the name on record for this ID number',
  },
} as const satisfies Record<string, Text>;

export type MessageKey = keyof typeof MESSAGES;

/** A message as code names it; rendered in the response's language. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

export const message = (key: MessageKey, params?: MessageParams): Message => ({ key, params });

const TITLES: Record<number, Text> = {
  400: { zh: '请求格式错误', en: 'Bad request' },
  401: { zh: '未认证', en: 'Unauthenticated' },
  403: { zh: '无权访问', en: 'Forbidden' },
  404: { zh: '未找到', en: 'Not found' },
  405: { zh: '不支持此方法', en: 'Method not allowed' },
  409: { zh: '冲突', en: 'Conflict' },
  413: { zh: '请求体过大', en: 'Payload too large' },
  415: { zh: '不支持的媒体类型', en: 'Unsupported media type' },
  422: { zh: '请求内容不符合要求', en: 'Invalid request' },
  429: { zh: '请求过于频繁', en: 'Too many requests' },
  500: { zh: '服务器内部错误', en: 'Internal server error' },
  503: { zh: '服务暂不可用', en: 'Service unavailable' },
};

/** Field names as people call them; a field not listed is named by its JSON name. */
const FIELD_LABELS: Record<string, Text> = {
  idNumber: { zh: '身份证号', en: 'idNumber' },
  orgCode: { zh: '统一社会信用代码', en: 'orgCode' },
  employerId: { zh: '用人单位', en: 'employerId' },
  employerOrgCode: { zh: '用人单位统一社会信用代码', en: 'employerOrgCode' },
  activityType: { zh: '活动类型', en: 'activityType' },
  title: { zh: '活动名称', en: 'title' },
  organiser: { zh: '主办单位', en: 'organiser' },
  evidence: { zh: '证明材料', en: 'evidence' },
  decision: { zh: '审核结论', en: 'decision' },
  comment: { zh: '审核意见', en: 'comment' },
  status: { zh: '状态', en: 'status' },
  personName: { zh: '姓名', en: 'personName' },
  newName: { zh: '新姓名', en: 'newName' },
  category: { zh: '科目类别', en: 'category' },
  hours: { zh: '学时', en: 'hours' },
  completedOn: { zh: '完成日期', en: 'completedOn' },
  courseTitle: { zh: '课程名称', en: 'courseTitle' },
  externalId: { zh: '记录编号', en: 'externalId' },
  entries: { zh: '条目', en: 'entries' },
  reason: { zh: '原因', en: 'reason' },
  city: { zh: '城市', en: 'city' },
  applicationYear: { zh: '申报年度', en: 'applicationYear' },
  track: { zh: '申报类型', en: 'track' },
  titleLevel: { zh: '职称级别', en: 'titleLevel' },
  requiredYears: { zh: '任职年限', en: 'requiredYears' },
  qualifyingSince: { zh: '起算年度', en: 'qualifyingSince' },
  education: { zh: '学历', en: 'education' },
  series: { zh: '职称系列', en: 'series' },
  workStartYear: { zh: '参加工作年度', en: 'workStartYear' },
  callbackUrl: { zh: '回调地址', en: 'callbackUrl' },
  requests: { zh: '花名册', en: 'requests' },
  code: { zh: '代码', en: 'code' },
  name: { zh: '名称', en: 'name' },
  role: { zh: '角色', en: 'role' },
  ttlSeconds: { zh: '有效期（秒）', en: 'ttlSeconds' },
  fromYear: { zh: '起始年度', en: 'fromYear' },
  toYear: { zh: '截止年度', en: 'toYear' },
  purpose: { zh: '用途', en: 'purpose' },
  cursor: { zh: '游标', en: 'cursor' },
  limit: { zh: '每页条数', en: 'limit' },
  'Idempotency-Key': { zh: '幂等键 Idempotency-Key', en: 'Idempotency-Key' },
  '(body)': { zh: '请求体', en: 'body' },
};

const TYPE_NAMES: Record<string, Text> = {
  string: { zh: '字符串', en: 'a string' },
  number: { zh: '数字', en: 'a number' },
  integer: { zh: '整数', en: 'an integer' },
  boolean: { zh: '布尔值', en: 'a boolean' },
  object: { zh: '对象', en: 'an object' },
  array: { zh: '数组', en: 'an array' },
};

/** Labels of a few values that read better in words (track and city names in rule messages). */
const VALUE_LABELS: Record<string, Text> = {
  promotion: { zh: '晋升', en: 'promotion' },
  initial: { zh: '初定', en: 'initial' },
  junior: { zh: '初级', en: 'junior' },
  intermediate: { zh: '中级', en: 'intermediate' },
  associate_senior: { zh: '副高级', en: 'associate_senior' },
  senior: { zh: '正高级', en: 'senior' },
  professional: { zh: '专业科目', en: 'professional' },
  general_public: { zh: '一般公需科目', en: 'general_public' },
  industry_public: { zh: '行业公需科目', en: 'industry_public' },
  lishui: { zh: '丽水市', en: 'lishui' },
  quzhou: { zh: '衢州市', en: 'quzhou' },
  wenzhou: { zh: '温州市', en: 'wenzhou' },
};

const own = <T>(table: Record<string, T>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

export const isMessageKey = (value: string): value is MessageKey => Object.hasOwn(MESSAGES, value);

/** The label of the field a path ends in: `entries[3].hours` → 学时. */
export function fieldLabel(path: string, lang: Lang): string {
  const [, name = path, index = ''] = /(?:^|\.)([^.[\]]+)((?:\[\d+\])?)$/.exec(path) ?? [];
  return (own(FIELD_LABELS, name)?.[lang] ?? name) + index;
}

function formatValue(value: MessageParams[string], lang: Lang): string {
  if (Array.isArray(value)) return value.map((v) => formatValue(v, lang)).join(lang === 'zh' ? '、' : ', ');
  if (value === undefined) return '';
  return String(value);
}

export function renderMessage(msg: Message, lang: Lang, path?: string): string {
  const params: MessageParams = { ...msg.params };
  if (path !== undefined) params.field ??= fieldLabel(path, lang);
  if (typeof params.type === 'string') params.type = own(TYPE_NAMES, params.type)?.[lang] ?? params.type;
  if (Array.isArray(params.categories)) params.categories = params.categories.map((c) => own(VALUE_LABELS, String(c))?.[lang] ?? c);
  for (const key of ['city', 'track', 'titleLevel', 'other'] as const) {
    const value = params[key];
    if (typeof value === 'string') params[key] = own(VALUE_LABELS, value)?.[lang] ?? (key === 'other' ? fieldLabel(value, lang) : value);
  }
  return MESSAGES[msg.key][lang].replace(/\{(\w+)\}/g, (_, name: string) => formatValue(params[name], lang));
}

export function statusTitle(status: number, lang: Lang): string {
  return own(TITLES, String(status))?.[lang] ?? (lang === 'zh' ? '错误' : 'Error');
}

/**
 * Chinese unless the client prefers English: the highest-weighted language of Accept-Language
 * that is Chinese or English decides (`en-US,en;q=0.9` → en; `zh-CN,en;q=0.5` → zh).
 */
export function preferredLanguage(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  let best: { lang: Lang; q: number } | null = null;
  for (const part of acceptLanguage.split(',')) {
    const [tag, ...options] = part.trim().toLowerCase().split(';');
    const q = Number(/^\s*q=([\d.]+)\s*$/.exec(options.find((o) => o.trim().startsWith('q=')) ?? '')?.[1] ?? 1);
    const lang = tag === 'en' || tag.startsWith('en-') ? 'en' : tag === 'zh' || tag.startsWith('zh-') ? 'zh' : null;
    if (lang && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'zh';
}
