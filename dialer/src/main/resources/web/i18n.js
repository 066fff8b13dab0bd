// Every text of the UI in English and Russian. The choice is kept in the cookie outdial_lang (one year).
export const TEXTS = {
  en: {
    signIn: 'Sign in', username: 'User name', password: 'Password', signOut: 'Sign out', badLogin: 'Unknown user or wrong password',
    throttled: 'Too many failed attempts; try again later', dashboard: 'Dashboard', telephony: 'Telephony', campaigns: 'Campaigns',
    stopList: 'Stop-list', readOnly: 'read only', liveCalls: 'Live calls', attemptsPerSecond: 'Calls ended per second',
    answerRate: 'Answer rate', attempts: 'Attempts ended', lines: 'Lines in use vs limits', last15: 'Last 15 minutes',
    linesInUse: 'lines in use', outcomesPerMinute: 'Outcomes per minute', alerts: 'Campaigns that should dial but do not',
    noAlerts: 'No campaign is held back.', live: 'live', reconnecting: 'reconnecting…', global: 'node', trunk: 'trunk', campaign: 'campaign',
    unlimited: 'no limit', whyNot: 'Why not dialing', whatToDo: 'What to do', dialing: 'dialing', servers: 'Asterisk servers',
    trunks: 'Trunks', name: 'Name', state: 'State', detail: 'Detail', since: 'Since', takeBack: 'Take the ARI app back',
    reconnectAsked: 'Reconnecting…', maxLines: 'Max lines', maxCps: 'Calls/s', accepting: 'Taking calls', yes: 'yes', no: 'no',
    newCampaign: 'New campaign', id: 'Id', counters: 'Contacts', open: 'Open', edit: 'Edit', save: 'Save', cancel: 'Cancel',
    start: 'Start', pause: 'Pause', resume: 'Resume', stop: 'Stop', preflight: 'Preflight', runPreflight: 'Check before start',
    startAnyway: 'Start anyway', check: 'Check', level: 'Level', message: 'Message', advice: 'Advice', total: 'Total', clusterNodes: 'Cluster nodes', node: 'Node', selfNode: 'this node', nodeLines: 'Lines',
    availableNow: 'Available now', planned: 'Planned', inProgress: 'In progress', closedSuccess: 'Success', closedNoSuccess: 'No success',
    exhausted: 'Attempts exhausted', noValidNumber: 'No valid number', stopListed: 'Stop-listed', contacts: 'Contacts',
    upload: 'Upload contacts', uploadFile: 'Contacts file (CSV or XLSX)', uploading: 'Uploading', importState: 'Import',
    rowsRead: 'rows read', imported: 'imported', rejected: 'rejected', merged: 'merged', downloadRejected: 'Download rejected rows',
    allStates: 'all states', phone: 'Phone', result: 'Result', lastOutcome: 'Last outcome', lastAttempt: 'Last attempt', next: 'Next page',
    first: 'First page', history: 'Attempt history', outcome: 'Outcome', trunkCol: 'Trunk', originate: 'Placed', answer: 'Answered', end: 'Ended',
    flowResult: 'Flow', dtmf: 'Keys', back: 'Back', fFlowId: 'Stored IVR flow (id)', fRegion: 'Region (e.g. FR, UA)', fTimeZone: 'Time zone',
    fCalendar: 'Calling hours every day', fQuiet: 'Quiet hours', fTrunk: 'Trunk name', fLines: 'Line limit', fPerSecond: 'Calls per second',
    fPriority: 'Priority', fTotalCap: 'Attempts per contact', fDailyCap: 'Attempts per day', fRules: 'Attempt rules (JSON list)',
    fRulesHint: '[{"outcome": "BUSY", "retryAfter": "10m", "maxRetries": 2}]', saved: 'Saved', fixProblems: 'Fix the problems shown next to the fields.',
    created: 'Created', results: 'Results (CSV)', reason: 'Reason', noCampaigns: 'No campaign yet.', loading: 'Loading…', error: 'Error',
    forbidden: 'Your role may not do this.', notFound: 'Not found', seconds: 's', calls: 'calls', report: 'Report', searchNumber: 'Search a number',
    search: 'Search', add: 'Add', remove: 'Remove', scope: 'List', globalList: 'global', export: 'Export CSV', import: 'Import',
    outcomes: 'Outcomes', answered: 'answered', contact: 'Contact', filter: 'Filter numbers', thisNode: 'dialed by this node since its start', survey: 'Survey answers', runs: 'Runs', completed: 'Completed', leftEarly: 'Left early', completionRate: 'Completion rate', exportXlsx: 'Export XLSX',
    callsByState: 'Calls by state', cs_dialing: 'dialing', cs_ringing: 'ringing', cs_answered: 'answered', cs_in_flow: 'in the IVR',
    messagesPerMinute: 'Messages in the last minute', ms_sent: 'sent', ms_delivered: 'delivered', ms_failed: 'failed',
    fScheme: 'Messaging scheme', fSchemeVersion: 'Scheme version', noScheme: '— none —', schemeLatestValid: 'latest valid when it starts', invalidVersion: 'invalid',
    messages: 'Messages', noMessages: 'No message: this contact has no messaging run.', runPath: 'Path', runState: 'Run', channel: 'Channel',
    msgStatus: 'Status', cost: 'Cost', sentAt: 'Sent', replies: 'Replies', block: 'Block', errorCol: 'Error',
    exportTitle: 'Export the results', exportCsv: 'Write CSV', exportXlsxJob: 'Write XLSX', rowsDone: 'rows written', ofTotal: 'of',
    workbookRows: 'rows in the workbook', download: 'Download', exportFailed: 'The export failed',
    r_draft: 'draft: not started yet', r_scheduled: 'scheduled', r_paused: 'paused', r_finished: 'finished', r_archived: 'archived',
    r_asterisk_down: 'Asterisk is down', r_trunk_down: 'the trunk is down', r_no_due_contacts: 'no contact is due now',
    r_outside_calendar: 'outside the calling hours', r_line_limit: 'line limit reached', r_rate_limit: 'calls-per-second limit reached',
    r_starting: 'starting', r_stopping: 'stopping', r_not_runnable: 'the definition cannot run', r_elsewhere: 'dialed by another node', r_dialing: 'dialing',
    a_asterisk_down: 'Open Telephony: check the server; after "application replaced", stop the other process and take the ARI app back.',
    a_trunk_down: 'Check the trunk on the Asterisk server and the carrier; Telephony shows why it is down.',
    a_no_due_contacts: 'Upload contacts, or wait for the next retry time.', a_outside_calendar: 'Wait for the calendar to open, or widen the calling hours.',
    a_line_limit: 'Raise the campaign, trunk or node line limit, or lower other campaigns\' priority.',
    a_rate_limit: 'Raise the calls-per-second limit if the carrier allows it.', a_not_runnable: 'Edit the campaign and run the preflight.',
    a_starting: 'Wait a few seconds.', a_elsewhere: 'Nothing: another node dials it.'
  },
  ru: {
    signIn: 'Войти', username: 'Имя пользователя', password: 'Пароль', signOut: 'Выйти', badLogin: 'Неизвестный пользователь или неверный пароль',
    throttled: 'Слишком много неудачных попыток; попробуйте позже', dashboard: 'Обзор', telephony: 'Телефония', campaigns: 'Кампании',
    stopList: 'Стоп-лист', readOnly: 'только чтение', liveCalls: 'Активные звонки', attemptsPerSecond: 'Завершённых звонков в секунду',
    answerRate: 'Доля ответов', attempts: 'Попыток завершено', lines: 'Занятые линии и лимиты', last15: 'Последние 15 минут',
    linesInUse: 'занято линий', outcomesPerMinute: 'Исходы в минуту', alerts: 'Кампании, которые должны звонить, но не звонят',
    noAlerts: 'Ни одна кампания не задержана.', live: 'онлайн', reconnecting: 'переподключение…', global: 'узел', trunk: 'транк', campaign: 'кампания',
    unlimited: 'без лимита', whyNot: 'Почему не звонит', whatToDo: 'Что сделать', dialing: 'звонит', servers: 'Серверы Asterisk',
    trunks: 'Транки', name: 'Имя', state: 'Состояние', detail: 'Подробности', since: 'С', takeBack: 'Вернуть приложение ARI',
    reconnectAsked: 'Переподключение…', maxLines: 'Макс. линий', maxCps: 'Звонков/с', accepting: 'Принимает звонки', yes: 'да', no: 'нет',
    newCampaign: 'Новая кампания', id: 'Идентификатор', counters: 'Контакты', open: 'Открыть', edit: 'Изменить', save: 'Сохранить', cancel: 'Отмена',
    start: 'Запустить', pause: 'Пауза', resume: 'Продолжить', stop: 'Остановить', preflight: 'Предстартовая проверка', runPreflight: 'Проверить перед запуском',
    startAnyway: 'Всё равно запустить', check: 'Проверка', level: 'Уровень', message: 'Сообщение', advice: 'Совет', total: 'Всего', clusterNodes: 'Узлы кластера', node: 'Узел', selfNode: 'этот узел', nodeLines: 'Линии',
    availableNow: 'Доступно сейчас', planned: 'Запланировано', inProgress: 'В работе', closedSuccess: 'Успех', closedNoSuccess: 'Без успеха',
    exhausted: 'Попытки исчерпаны', noValidNumber: 'Нет верного номера', stopListed: 'В стоп-листе', contacts: 'Контакты',
    upload: 'Загрузить контакты', uploadFile: 'Файл контактов (CSV или XLSX)', uploading: 'Загрузка', importState: 'Импорт',
    rowsRead: 'строк прочитано', imported: 'импортировано', rejected: 'отклонено', merged: 'объединено', downloadRejected: 'Скачать отклонённые строки',
    allStates: 'все состояния', phone: 'Телефон', result: 'Результат', lastOutcome: 'Последний исход', lastAttempt: 'Последняя попытка', next: 'Следующая страница',
    first: 'Первая страница', history: 'История попыток', outcome: 'Исход', trunkCol: 'Транк', originate: 'Набран', answer: 'Ответ', end: 'Завершён',
    flowResult: 'Сценарий', dtmf: 'Клавиши', back: 'Назад', fFlowId: 'Сохранённый IVR-сценарий (id)', fRegion: 'Регион (например, FR, UA)', fTimeZone: 'Часовой пояс',
    fCalendar: 'Часы звонков каждый день', fQuiet: 'Тихие часы', fTrunk: 'Имя транка', fLines: 'Лимит линий', fPerSecond: 'Звонков в секунду',
    fPriority: 'Приоритет', fTotalCap: 'Попыток на контакт', fDailyCap: 'Попыток в день', fRules: 'Правила попыток (список JSON)',
    fRulesHint: '[{"outcome": "BUSY", "retryAfter": "10m", "maxRetries": 2}]', saved: 'Сохранено', fixProblems: 'Исправьте ошибки, показанные у полей.',
    created: 'Создана', results: 'Результаты (CSV)', reason: 'Причина', noCampaigns: 'Кампаний пока нет.', loading: 'Загрузка…', error: 'Ошибка',
    forbidden: 'Вашей роли это не разрешено.', notFound: 'Не найдено', seconds: 'с', calls: 'звонков', report: 'Отчёт', searchNumber: 'Поиск номера',
    search: 'Найти', add: 'Добавить', remove: 'Удалить', scope: 'Список', globalList: 'общий', export: 'Экспорт CSV', import: 'Импорт',
    outcomes: 'Исходы', answered: 'отвечено', contact: 'Контакт', filter: 'Фильтр номеров', thisNode: 'набраны этим узлом с его запуска', survey: 'Ответы опроса', runs: 'Прохождений', completed: 'Завершено', leftEarly: 'Прервано', completionRate: 'Доля завершённых', exportXlsx: 'Экспорт XLSX',
    callsByState: 'Звонки по состояниям', cs_dialing: 'набор', cs_ringing: 'вызов', cs_answered: 'отвечено', cs_in_flow: 'в IVR',
    messagesPerMinute: 'Сообщения за последнюю минуту', ms_sent: 'отправлено', ms_delivered: 'доставлено', ms_failed: 'ошибка',
    fScheme: 'Схема сообщений', fSchemeVersion: 'Версия схемы', noScheme: '— нет —', schemeLatestValid: 'последняя верная при запуске', invalidVersion: 'неверная',
    messages: 'Сообщения', noMessages: 'Сообщений нет: у контакта нет прохождения схемы.', runPath: 'Путь', runState: 'Прохождение', channel: 'Канал',
    msgStatus: 'Статус', cost: 'Стоимость', sentAt: 'Отправлено', replies: 'Ответы', block: 'Блок', errorCol: 'Ошибка',
    exportTitle: 'Выгрузка результатов', exportCsv: 'Выгрузить CSV', exportXlsxJob: 'Выгрузить XLSX', rowsDone: 'строк записано', ofTotal: 'из',
    workbookRows: 'строк в книге', download: 'Скачать', exportFailed: 'Выгрузка не удалась',
    r_draft: 'черновик: ещё не запущена', r_scheduled: 'запланирована', r_paused: 'на паузе', r_finished: 'завершена', r_archived: 'в архиве',
    r_asterisk_down: 'Asterisk недоступен', r_trunk_down: 'транк недоступен', r_no_due_contacts: 'сейчас некому звонить',
    r_outside_calendar: 'вне часов звонков', r_line_limit: 'достигнут лимит линий', r_rate_limit: 'достигнут лимит звонков в секунду',
    r_starting: 'запускается', r_stopping: 'останавливается', r_not_runnable: 'определение не может работать', r_elsewhere: 'звонит другой узел', r_dialing: 'звонит',
    a_asterisk_down: 'Откройте «Телефонию»: проверьте сервер; после «application replaced» остановите другой процесс и верните приложение ARI.',
    a_trunk_down: 'Проверьте транк на сервере Asterisk и у оператора; причина видна в «Телефонии».',
    a_no_due_contacts: 'Загрузите контакты или дождитесь времени следующей попытки.', a_outside_calendar: 'Дождитесь открытия календаря или расширьте часы звонков.',
    a_line_limit: 'Поднимите лимит линий кампании, транка или узла, или понизьте приоритет других кампаний.',
    a_rate_limit: 'Поднимите лимит звонков в секунду, если оператор позволяет.', a_not_runnable: 'Исправьте кампанию и запустите проверку.',
    a_starting: 'Подождите несколько секунд.', a_elsewhere: 'Ничего: её обзванивает другой узел.'
  }
};

// a screen module adds its own texts: addTexts({en: {...}, ru: {...}})
export function addTexts(texts) {
  for (const [lang, entries] of Object.entries(texts)) Object.assign(TEXTS[lang] = TEXTS[lang] || {}, entries);
}

export function currentLang() {
  const m = document.cookie.match(/(?:^|; )outdial_lang=(en|ru)/);
  if (m) return m[1];
  return (navigator.language || 'en').toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function setLang(lang) {
  document.cookie = 'outdial_lang=' + lang + '; path=/; max-age=31536000; SameSite=Strict';
  document.documentElement.lang = lang;
}

export function t(key) {
  const lang = currentLang();
  return (TEXTS[lang] && TEXTS[lang][key]) || TEXTS.en[key] || key;
}
