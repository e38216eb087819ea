// ELMA365 telephony module for the MegaFon Virtual PBX ↔ ELMA365 bridge.
//
// Paste this whole file into Администрирование → Модули → <module> → Методы API → Скрипты,
// replacing the original script. It never talks to the PBX: the bridge (an Azure Functions
// app) holds the PBX key, receives the PBX webhooks, retries and orders them, and pushes
// ready-made JSON to this module's webhook. So VoipParseWebhookRequest only validates and
// maps names, and the other functions are thin calls to the bridge's HTTP functions.
//
// Module settings (Настройки): baseUrl «Адрес моста (Azure Functions)», functionKey «Ключ функции».
// functionKey is the Function App's host key 'elma365'. It authenticates both ways: the module
// calls the bridge with it, and the bridge sends the same value (the bridge's Elma365__ModuleKey)
// in the X-Bridge-Key header of every push, which is how the module tells the bridge's pushes
// from anyone else who learned the webhook address.
// Messages an admin sees are in Russian; the 400/401 reasons go back to the bridge's logs, in English.

const SETTING_TITLES = {
    baseUrl: 'Адрес моста (Azure Functions)',
    functionKey: 'Ключ функции',
};

function setting(name: keyof typeof SETTING_TITLES): string {
    const value = Namespace.params.data[name];
    if (typeof value !== 'string' || value.trim() === '') {
        throw new Error(`Не заполнена настройка модуля «${SETTING_TITLES[name]}» (${name}): укажите её на странице настроек модуля.`);
    }
    return value.trim();
}

// Not `instanceof Error`: errors raised by the platform may come from another realm.
function errorText(e: unknown): string {
    const message = field(e, 'message');
    return typeof message === 'string' ? message : String(e);
}

function field(value: unknown, name: string): unknown {
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function stringField(value: unknown, name: string): string | undefined {
    const v = field(value, name);
    return typeof v === 'string' && v !== '' ? v : undefined;
}

// ---- Calls to the bridge ----

interface BridgeAnswer {
    status: number;
    statusText: string;
    /** The parsed JSON body; undefined when the body is not JSON (then it did not come from the bridge). */
    body: unknown;
}

async function callBridge(method: 'GET' | 'POST' | 'PUT', path: string, payload?: object): Promise<BridgeAnswer> {
    const base = setting('baseUrl').replace(/\/+$/, '');
    if (!/^https?:\/\//i.test(base)) {
        throw new Error(`Настройка «${SETTING_TITLES.baseUrl}» (baseUrl) должна быть адресом вида https://my-bridge.azurewebsites.net, а сейчас в ней «${base}».`);
    }
    const request: FetchRequest = { method, headers: { 'x-functions-key': setting('functionKey') } };
    if (payload !== undefined) {
        request.headers!['Content-Type'] = 'application/json';
        request.body = JSON.stringify(payload);
    }

    let response: FetchResponse;
    try {
        response = await fetch(base + path, request);
    } catch (e) {
        throw new Error(`Мост не отвечает по адресу ${base}: ${errorText(e)}. Проверьте настройку «${SETTING_TITLES.baseUrl}» (baseUrl) и что приложение Azure Functions запущено.`);
    }

    // text() rather than json(): an Azure gateway page or an empty 401 must not hide the status.
    const text = await response.text();
    let body: unknown;
    try {
        body = JSON.parse(text);
    } catch {
        body = undefined;
    }
    return { status: response.status, statusText: response.statusText, body };
}

// Names the status and the bridge's own explanation so the admin can act without reading the bridge's logs.
function bridgeError(what: string, answer: BridgeAnswer): Error {
    if (answer.status === 401 || answer.status === 403) {
        return new Error(`${what}: мост отклонил ключ (${answer.status}). Проверьте настройку «${SETTING_TITLES.functionKey}» (functionKey): нужен ключ функции или ключ узла приложения Azure Functions.`);
    }
    const message = stringField(answer.body, 'message');
    const code = stringField(answer.body, 'error');
    const detail = message !== undefined && code !== undefined
        ? `${message} (${code})`
        : message ?? code ?? (answer.body === undefined
            ? `ответ пришёл не от моста, проверьте настройку «${SETTING_TITLES.baseUrl}» (baseUrl)`
            : 'мост не указал причину');
    const status = `${answer.status} ${answer.statusText ?? ''}`.trim();
    return new Error(`${what}: ${status}, ${detail}`);
}

// «Проверить подключение»: the bridge checks the PBX and its own storage; this only relays the verdict.
async function VoipTestConnection(): Promise<VoipTestConnectionResult> {
    try {
        const answer = await callBridge('GET', '/api/connection-test');
        const success = field(answer.body, 'success');
        if (answer.status === 200 && typeof success === 'boolean') {
            return success
                ? { success: true }
                : { success: false, failReason: stringField(answer.body, 'failReason') ?? 'Мост сообщил о сбое без причины: смотрите журнал приложения Azure Functions.' };
        }
        throw bridgeError('Проверка подключения не прошла', answer);
    } catch (e) {
        return { success: false, failReason: errorText(e) };
    }
}

function isMember(value: unknown): value is VoipMember {
    return typeof field(value, 'id') === 'string' && typeof field(value, 'label') === 'string';
}

// «Настроить»: the ids must match the dstPhone the bridge sends, and the bridge produces both.
async function VoipGetMembers(): Promise<VoipMember[]> {
    const answer = await callBridge('GET', '/api/members');
    if (answer.status !== 200) {
        throw bridgeError('Не удалось получить список пользователей АТС', answer);
    }
    const members = answer.body;
    if (!Array.isArray(members) || !members.every(isMember)) {
        throw new Error('Мост вернул список пользователей АТС в неожиданном виде: нужен массив [{"id": "...", "label": "..."}]. Проверьте, что версия моста и этого скрипта совпадают.');
    }
    return members;
}

// Click-to-call: the PBX rings the manager (srcPhone) first, then dials the client (dstPhone).
async function VoipGenerateCall(srcPhone: string, dstPhone: string): Promise<void> {
    const answer = await callBridge('POST', '/api/calls', { srcPhone, dstPhone });
    if (answer.status < 200 || answer.status > 299) {
        throw bridgeError('АТС не начала звонок', answer);
    }
}

/**
 * What ELMA365 stores with each history record: the original script's shape, and the push's
 * messageId. The bridge may send a record twice when ELMA365 took it but the answer never reached
 * the bridge (a timeout); both copies then carry the same messageId, so they can be told for one.
 */
interface BridgeCallData {
    id: string;
    link?: string;
    messageId?: string;
}

// The PBX often sends the recording link minutes after the call, so a record stored without
// one asks the bridge, which keeps the links it received later.
async function VoipGetCallLink(callData: BridgeCallData): Promise<string> {
    const stored = stringField(callData, 'link');
    if (stored !== undefined) {
        return stored;
    }
    const id = stringField(callData, 'id');
    if (id === undefined) {
        throw new Error('У звонка не сохранён идентификатор АТС, поэтому запись разговора найти нельзя.');
    }

    const answer = await callBridge('GET', `/api/calls/${encodeURIComponent(id)}/link`);
    const link = stringField(answer.body, 'link');
    if (answer.status === 200 && link !== undefined) {
        return link;
    }
    if (answer.status === 202) {
        throw new Error('Запись разговора ещё не готова: АТС пока не прислала ссылку на неё. Попробуйте позже, через несколько минут.');
    }
    throw bridgeError(answer.status === 404 ? 'Записи разговора нет' : 'Не удалось получить запись разговора', answer);
}

// The platform gave the module a new webhook address (it refreshed the token in it, or the module
// was re-created): the bridge pushes there from now on. Until the first call, it uses the address
// it was deployed with (Elma365__WebhookUrl).
async function VoipOnWebhookUpdated(webhookUrl: string): Promise<void> {
    const answer = await callBridge('PUT', '/api/elma365/webhook', { url: webhookUrl });
    if (answer.status < 200 || answer.status > 299) {
        throw bridgeError('Мост не принял новый адрес вебхука модуля', answer);
    }
}

// ---- Webhook: JSON pushed by the bridge ----

const BRIDGE_KEY_HEADER = 'x-bridge-key';

// Compares every character whatever the first difference, so the time taken does not tell a
// caller how much of a guessed key was right.
function sameKey(presented: string, expected: string): boolean {
    let difference = presented.length ^ expected.length;
    for (let i = 0; i < expected.length; i++) {
        // Past the end of a shorter guess charCodeAt gives NaN, which ^ turns into 0: still compared.
        difference |= presented.charCodeAt(i) ^ expected.charCodeAt(i);
    }
    return difference === 0;
}

// The reason a push is not from the bridge, or undefined when it is.
function unauthenticated(request: FetchRequest | undefined): string | undefined {
    let expected: string;
    try {
        expected = setting('functionKey');
    } catch {
        return 'the module setting functionKey is empty, so no push can be authenticated; fill it in on the module settings page';
    }
    const presented = header(request?.headers, BRIDGE_KEY_HEADER);
    if (presented === undefined || presented === '') {
        return 'X-Bridge-Key header is missing: pushes must carry the bridge key (Elma365__ModuleKey)';
    }
    return sameKey(presented, expected)
        ? undefined
        : 'X-Bridge-Key does not match the module setting functionKey: Elma365__ModuleKey and functionKey must hold the same host key';
}

function refusal(status: 400 | 401, reason: string): VoipWebhookParseResult {
    return { response: new HttpResponse().status(status).content(JSON.stringify({ error: reason })) };
}

type JsonObject = Record<string, unknown>;

function shown(value: unknown): string {
    return value === undefined ? 'nothing' : JSON.stringify(value);
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
    for (const key of Object.keys(headers ?? {})) {
        if (key.toLowerCase() === name) {
            return String(headers![key]);
        }
    }
    return undefined;
}

function readJsonBody(request: FetchRequest | undefined): JsonObject {
    const contentType = header(request?.headers, 'content-type');
    if (contentType?.split(';')[0].trim().toLowerCase() !== 'application/json') {
        throw new Error(`Content-Type must be application/json (got ${shown(contentType)})`);
    }
    let body: unknown = request?.body;
    if (typeof body === 'string') {
        try {
            body = JSON.parse(body);
        } catch {
            throw new Error('body is not valid JSON');
        }
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new Error('body must be a JSON object');
    }
    return body as JsonObject;
}

// Empty phones pass: the PBX may omit the client number or the member, and the bridge sends "" rather than guess.
function requireString(value: unknown, name: string, allowEmpty: boolean): string {
    if (typeof value !== 'string' || (!allowEmpty && value === '')) {
        throw new Error(`"${name}" must be a ${allowEmpty ? '' : 'non-empty '}string (got ${shown(value)})`);
    }
    return value;
}

function byName<T>(name: string, value: unknown, members: Record<string, T>): T {
    if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(members, value)) {
        return members[value];
    }
    throw new Error(`"${name}" must be one of ${Object.keys(members).join(', ')} (got ${shown(value)})`);
}

// The bridge sends enum member names. Spelled-out tables rather than VoipWebhookEvent[name]:
// they still work if the platform declares the enums as const enums, and the Record types make
// tsc insist on every member the declarations list.
function webhookEvent(value: unknown): VoipWebhookEvent {
    const members: Record<keyof typeof VoipWebhookEvent, VoipWebhookEvent> = {
        NotifyStart: VoipWebhookEvent.NotifyStart,
        NotifyAnswer: VoipWebhookEvent.NotifyAnswer,
        NotifyEnd: VoipWebhookEvent.NotifyEnd,
    };
    return byName('event', value, members);
}

function callDirection(value: unknown): VoipCallDirection {
    const members: Record<keyof typeof VoipCallDirection, VoipCallDirection> = {
        In: VoipCallDirection.In,
        Out: VoipCallDirection.Out,
        Internal: VoipCallDirection.Internal,
    };
    return byName('direction', value, members);
}

function callDisposition(value: unknown): VoipCallDisposition {
    const members: Record<keyof typeof VoipCallDisposition, VoipCallDisposition> = {
        Unknown: VoipCallDisposition.Unknown,
        Answered: VoipCallDisposition.Answered,
        Busy: VoipCallDisposition.Busy,
        Cancel: VoipCallDisposition.Cancel,
        NoAnswer: VoipCallDisposition.NoAnswer,
    };
    return byName('disposition', value, members);
}

// Every push names itself: the call and what the push is about, the same on each attempt at it.
// Optional here, so that a module updated before its bridge still takes the older bridge's pushes.
function messageId(m: JsonObject): string | undefined {
    if (m.messageId === undefined || m.messageId === null) {
        return undefined;
    }
    const id = requireString(m.messageId, 'messageId', false);
    if (id.length > 512) {
        throw new Error(`"messageId" may be at most 512 characters (got ${id.length})`);
    }
    return id;
}

// VoipWebhookRequest has no field for the messageId: it is checked and goes no further (the
// platform groups a call's events by callId, and a repeated popup shows the same call).
function toEvent(m: JsonObject): VoipWebhookRequest {
    messageId(m);
    return {
        callId: requireString(m.callId, 'callId', false),
        event: webhookEvent(m.event),
        direction: callDirection(m.direction),
        srcPhone: requireString(m.srcPhone, 'srcPhone', true),
        dstPhone: requireString(m.dstPhone, 'dstPhone', true),
        disposition: callDisposition(m.disposition),
    };
}

// startedAt is not mapped: VoipCallRecord has no such field, and ELMA365 dates the record when it arrives.
function toCallRecord(m: JsonObject): VoipCallRecord {
    const callId = requireString(m.callId, 'callId', false);
    const duration = m.duration;
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 0) {
        throw new Error(`"duration" must be a whole number of seconds, 0 or more (got ${shown(duration)})`);
    }
    if (typeof m.call !== 'object' || m.call === null || Array.isArray(m.call)) {
        throw new Error('"call" must be an object {"id", "link"?}');
    }
    const raw = m.call as JsonObject;
    const call: BridgeCallData = { id: requireString(raw.id, 'call.id', false) };
    if (raw.link !== undefined && raw.link !== null) {
        call.link = requireString(raw.link, 'call.link', false);
    }
    const id = messageId(m);
    if (id !== undefined) {
        call.messageId = id;
    }
    return {
        callId,
        srcPhone: requireString(m.srcPhone, 'srcPhone', true),
        dstPhone: requireString(m.dstPhone, 'dstPhone', true),
        direction: callDirection(m.direction),
        duration,
        disposition: callDisposition(m.disposition),
        call,
    };
}

// Never throws. A push without the bridge's key gets 401 before anything else is looked at;
// a malformed one 400 with a reason, which tells the bridge the message is bad for good, so it
// parks the message instead of retrying it forever.
async function VoipParseWebhookRequest(request: FetchRequest): Promise<VoipWebhookParseResult> {
    const denied = unauthenticated(request);
    if (denied !== undefined) {
        return refusal(401, denied);
    }
    try {
        const message = readJsonBody(request);
        switch (message.kind) {
            case 'event':
                return { event: toEvent(message) };
            case 'callRecord':
                return { callRecord: toCallRecord(message) };
            default:
                throw new Error(`"kind" must be "event" or "callRecord" (got ${shown(message.kind)})`);
        }
    } catch (e) {
        return refusal(400, errorText(e));
    }
}

// tsc checks the functions above against the platform's signatures (elma365.d.ts); nothing of
// this reaches the compiled script.
type Conforms<Required, Actual extends Required> = Actual;
type ModuleFunctions = Conforms<VoipModuleFunctions, {
    VoipTestConnection: typeof VoipTestConnection;
    VoipParseWebhookRequest: typeof VoipParseWebhookRequest;
    VoipGetMembers: typeof VoipGetMembers;
    VoipGenerateCall: typeof VoipGenerateCall;
    VoipGetCallLink: typeof VoipGetCallLink;
    VoipOnWebhookUpdated: typeof VoipOnWebhookUpdated;
}>;
