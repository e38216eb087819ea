// Contract test for the companion ELMA365 module (module.ts, compiled to dist/module.js).
//
// The script runs in a node:vm sandbox that plays ELMA365: the telephony enums, HttpResponse,
// fetch and the module settings. The webhook half feeds it every message of
// messages.golden.json, which the C# side generates from the processor's real output; the
// other half points fetch at a fake bridge on loopback.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import vm from 'node:vm';

const moduleDir = new URL('../', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('test/messages.golden.json', moduleDir), 'utf8'));
const script = readFileSync(new URL('dist/module.js', moduleDir), 'utf8');

// Enum members come from elma365.d.ts so the test cannot drift from the declarations. Where the
// SDK publishes values (VoipCallDirection: 'in', 'out', 'internal') the sandbox uses them; the
// others get numbers distinct across all enums (with TypeScript's reverse mapping), never the
// names, so a script that passed names through unmapped or mixed two enums up would fail.
const declared = {};
const ENUMS = {};
{
    const source = readFileSync(new URL('elma365.d.ts', moduleDir), 'utf8');
    let base = 10;
    for (const [, name, body] of source.matchAll(/declare enum (\w+) \{([^}]*)\}/g)) {
        const members = body
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/\/\/.*$/gm, '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
            .map((s) => {
                const [, member, value] = s.match(/^(\w+)(?:\s*=\s*'([^']*)')?$/) ?? assert.fail(`cannot read enum member ${JSON.stringify(s)} of ${name}`);
                return { member, value };
            });
        declared[name] = members.map((m) => m.member);
        ENUMS[name] = {};
        members.forEach(({ member, value }, i) => {
            if (value !== undefined) {
                ENUMS[name][member] = value;
            } else {
                ENUMS[name][member] = base + i;
                ENUMS[name][base + i] = member;
            }
        });
        base += 10;
    }
    assert.deepEqual(Object.keys(declared).sort(), ['VoipCallDirection', 'VoipCallDisposition', 'VoipWebhookEvent']);
    assert.deepEqual(ENUMS.VoipCallDirection, { In: 'in', Out: 'out', Internal: 'internal' });
}

// Members the bridge never sends, and why: the PBX reports calls with clients only.
const NEVER_SENT = { VoipCallDirection: ['Internal'] };

// The module key of the contract: the C# test (Elma365ContractTests.ModuleKey) sends the same one.
const MODULE_KEY = 'contract-module-key-0123456789';

function enumValue(enumName, memberName) {
    assert.ok(declared[enumName].includes(memberName), `${enumName} has no member named ${JSON.stringify(memberName)}`);
    return ENUMS[enumName][memberName];
}

class HttpResponse {
    status(code) {
        this.statusCode = code;
        return this;
    }

    content(body) {
        this.body = body;
        return this;
    }
}

function loadModule(settings, fetch) {
    const sandbox = vm.createContext({ ...ENUMS, HttpResponse, fetch, Namespace: { params: { data: settings } } });
    vm.runInContext(script, sandbox, { filename: 'module.js' });
    return sandbox;
}

// Objects made inside the sandbox have its own prototypes; compare them as plain JSON.
const plain = (value) => JSON.parse(JSON.stringify(value));

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'X-Bridge-Key': MODULE_KEY };
const MODULE_SETTINGS = { functionKey: MODULE_KEY };

// Every golden field is either mapped onto ELMA365's object or knowingly left out of it.
const FIELDS = {
    event: {
        mapped: ['kind', 'callId', 'event', 'direction', 'srcPhone', 'dstPhone', 'disposition'],
        // ELMA365 routes by dstPhone; it has no notion of a transfer target; VoipWebhookRequest has no field for a message id
        ignored: ['user', 'secondCallId', 'messageId'],
    },
    callRecord: {
        mapped: ['kind', 'callId', 'srcPhone', 'dstPhone', 'direction', 'duration', 'disposition', 'call', 'messageId'], // messageId travels in call.messageId
        ignored: ['user', 'startedAt', 'link'], // VoipCallRecord has no start time; link travels in call.link
    },
};

describe('contract: every request in messages.golden.json', () => {
    const elma = loadModule(MODULE_SETTINGS, () => assert.fail('parsing a webhook must not call the bridge'));

    for (const { name, method, headers, body, message } of golden) {
        it(name, async () => {
            // The request as the bridge sent it: a POST with a declared length and the bridge key.
            assert.equal(method, 'POST');
            assert.equal(typeof message.messageId, 'string', 'every push names itself');
            assert.ok(message.messageId.startsWith(`${message.callId}|`), 'a messageId starts with its call id');
            assert.deepEqual(JSON.parse(body), message, 'body and message of the golden entry agree');
            assert.equal(Number(headers['content-length']), Buffer.byteLength(body, 'utf8'), 'Content-Length is the body\'s length in bytes');
            assert.equal(headers['x-bridge-key'], MODULE_KEY, 'the bridge sends the module key in X-Bridge-Key');

            const result = await elma.VoipParseWebhookRequest({ method, headers: { ...headers }, body });
            assert.equal(result.response, undefined, `rejected: ${result.response?.body}`);

            const fields = FIELDS[message.kind];
            assert.ok(fields, `unknown kind ${message.kind}`);
            for (const key of Object.keys(message)) {
                assert.ok([...fields.mapped, ...fields.ignored].includes(key), `golden field "${key}" is neither mapped nor knowingly ignored`);
            }

            const actual = message.kind === 'event' ? result.event : result.callRecord;
            assert.ok(actual, `expected result.${message.kind}`);
            assert.equal(message.kind === 'event' ? result.callRecord : result.event, undefined);
            assert.equal(actual.callId, message.callId);
            assert.equal(actual.direction, enumValue('VoipCallDirection', message.direction));
            assert.equal(actual.disposition, enumValue('VoipCallDisposition', message.disposition));
            assert.equal(actual.srcPhone, message.srcPhone);
            assert.equal(actual.dstPhone, message.dstPhone);
            assert.ok(!('srcPhoneExt' in actual) && !('dstPhoneExt' in actual), 'no extension behind the client number is invented');

            if (message.kind === 'event') {
                assert.equal(actual.event, enumValue('VoipWebhookEvent', message.event));
                assert.deepEqual(Object.keys(actual).sort(), ['callId', 'direction', 'disposition', 'dstPhone', 'event', 'srcPhone']);
            } else {
                assert.equal(actual.duration, message.duration);
                assert.equal(actual.call.id, message.call.id);
                assert.equal(actual.call.link, message.call.link);
                assert.equal('link' in actual.call, 'link' in message.call, 'call.link is present exactly when the bridge sent one');
                assert.equal(actual.call.messageId, message.messageId, 'the messageId is passed on in call, which the platform stores');
                assert.deepEqual(Object.keys(actual.call).sort(), ['id', ...('link' in message.call ? ['link'] : []), 'messageId'].sort());
                assert.deepEqual(Object.keys(actual).sort(), ['call', 'callId', 'direction', 'disposition', 'dstPhone', 'duration', 'srcPhone']);
            }
        });
    }

    it('the golden file uses both kinds and every member of every ELMA365 enum the bridge sends', () => {
        assert.deepEqual([...new Set(golden.map((g) => g.message.kind))].sort(), ['callRecord', 'event']);
        assert.equal(new Set(golden.map((g) => g.name)).size, golden.length, 'entry names are unique');
        const used = { VoipWebhookEvent: new Set(), VoipCallDirection: new Set(), VoipCallDisposition: new Set() };
        for (const { message } of golden) {
            if (message.kind === 'event') used.VoipWebhookEvent.add(message.event);
            used.VoipCallDirection.add(message.direction);
            used.VoipCallDisposition.add(message.disposition);
        }
        for (const [enumName, members] of Object.entries(used)) {
            const sent = declared[enumName].filter((m) => !(NEVER_SENT[enumName] ?? []).includes(m));
            assert.deepEqual([...members].sort(), [...sent].sort(), `${enumName} members used by the golden file`);
        }
    });

    it('an outbound call is the member calling the client, in its events and its record', () => {
        const outbound = golden.filter((g) => g.message.direction === 'Out');
        assert.deepEqual(
            [...new Set(outbound.map((g) => (g.message.kind === 'event' ? g.message.event : 'callRecord')))].sort(),
            ['NotifyAnswer', 'NotifyEnd', 'NotifyStart', 'callRecord']);
        for (const { name, message } of golden) {
            const [member, client] = message.direction === 'Out' ? [message.srcPhone, message.dstPhone] : [message.dstPhone, message.srcPhone];
            assert.equal(member, '703', `${name}: the member (GetMembers id) is ${message.direction === 'Out' ? 'srcPhone' : 'dstPhone'}`);
            assert.match(client, /^\+?7\d{10}$/, `${name}: the client is ${message.direction === 'Out' ? 'dstPhone' : 'srcPhone'}`);
        }
    });
});

describe('VoipParseWebhookRequest: only the bridge may push', () => {
    const settings = { ...MODULE_SETTINGS };
    const elma = loadModule(settings, () => assert.fail('parsing a webhook must not call the bridge'));
    const { body } = golden.find((g) => g.name === 'event-incoming');
    const typeOnly = { 'Content-Type': 'application/json' };

    beforeEach(() => {
        settings.functionKey = MODULE_KEY;
    });

    const forged = [
        ['no key at all (a forged push)', typeOnly, /X-Bridge-Key header is missing/],
        ['an empty key', { ...typeOnly, 'X-Bridge-Key': '' }, /X-Bridge-Key header is missing/],
        ['a wrong key of the same length', { ...typeOnly, 'X-Bridge-Key': MODULE_KEY.replace(/.$/, 'X') }, /does not match/],
        ['a wrong first character', { ...typeOnly, 'X-Bridge-Key': 'X' + MODULE_KEY.slice(1) }, /does not match/],
        ['the key cut short', { ...typeOnly, 'X-Bridge-Key': MODULE_KEY.slice(0, -1) }, /does not match/],
        ['the key with more after it', { ...typeOnly, 'X-Bridge-Key': MODULE_KEY + '0' }, /does not match/],
        ['the key in another case', { ...typeOnly, 'X-Bridge-Key': MODULE_KEY.toUpperCase() }, /does not match/],
        ['the key in another header', { ...typeOnly, 'x-functions-key': MODULE_KEY }, /X-Bridge-Key header is missing/],
    ];
    for (const [name, headers, reason] of forged) {
        it(`refuses ${name} with 401 and a JSON reason, parsing nothing`, async () => {
            const result = await elma.VoipParseWebhookRequest({ method: 'POST', headers, body });
            assert.equal(result.event, undefined);
            assert.equal(result.callRecord, undefined);
            assert.equal(result.response?.statusCode, 401);
            assert.match(JSON.parse(result.response.body).error, reason);
        });
    }

    it('checks the key before the content: a forged push learns nothing about the format', async () => {
        const result = await elma.VoipParseWebhookRequest({ headers: { 'Content-Type': 'text/plain' }, body: 'x' });
        assert.equal(result.response?.statusCode, 401);
    });

    it('refuses no request at all with 401', async () => {
        assert.equal((await elma.VoipParseWebhookRequest(undefined)).response?.statusCode, 401);
    });

    it('accepts the key under any header casing', async () => {
        const result = await elma.VoipParseWebhookRequest({ headers: { ...typeOnly, 'X-BRIDGE-KEY': MODULE_KEY }, body });
        assert.equal(result.response, undefined, result.response?.body);
        assert.ok(result.event);
    });

    it('refuses everything while the module has no functionKey, and says so', async () => {
        delete settings.functionKey;
        for (const key of [MODULE_KEY, '', undefined]) {
            const result = await elma.VoipParseWebhookRequest({ headers: key === undefined ? typeOnly : { ...typeOnly, 'X-Bridge-Key': key }, body });
            assert.equal(result.response?.statusCode, 401);
            assert.match(JSON.parse(result.response.body).error, /functionKey is empty/);
        }
    });
});

describe('VoipParseWebhookRequest: what it accepts and rejects', () => {
    const elma = loadModule(MODULE_SETTINGS, () => assert.fail('parsing a webhook must not call the bridge'));
    const event = golden.find((g) => g.message.kind === 'event').message;
    const record = golden.find((g) => g.message.kind === 'callRecord').message;
    const withField = (message, key, value) => JSON.stringify({ ...message, [key]: value });
    const without = (message, key) => JSON.stringify({ ...message, [key]: undefined });

    const accepted = [
        ['any header casing, no charset', { headers: { 'content-type': 'Application/JSON', 'x-bridge-key': MODULE_KEY }, body: JSON.stringify(event) }],
        ['a body ELMA365 already parsed', { headers: JSON_HEADERS, body: { ...event } }],
        ['empty phones (the PBX left them out)', { headers: JSON_HEADERS, body: JSON.stringify({ ...record, srcPhone: '', dstPhone: '' }) }],
        ['a push of an older bridge, without messageId', { headers: JSON_HEADERS, body: without(record, 'messageId') }],
    ];
    for (const [name, request] of accepted) {
        it(`accepts ${name}`, async () => {
            const result = await elma.VoipParseWebhookRequest(request);
            assert.equal(result.response, undefined, result.response?.body);
            assert.ok(result.event ?? result.callRecord);
        });
    }

    const rejected = [
        ['form content type', { headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Bridge-Key': MODULE_KEY }, body: 'cmd=event&type=INCOMING' }, /Content-Type/],
        ['no content type', { headers: { 'X-Bridge-Key': MODULE_KEY }, body: JSON.stringify(event) }, /Content-Type/],
        ['unparseable JSON', { headers: JSON_HEADERS, body: '{"kind":"event",' }, /not valid JSON/],
        ['a JSON array', { headers: JSON_HEADERS, body: '[]' }, /JSON object/],
        ['unknown kind', { headers: JSON_HEADERS, body: withField(event, 'kind', 'rating') }, /"kind"/],
        ['unknown event name', { headers: JSON_HEADERS, body: withField(event, 'event', 'Ringing') }, /"event"/],
        ['an enum value instead of a name', { headers: JSON_HEADERS, body: withField(event, 'event', String(ENUMS.VoipWebhookEvent.NotifyStart)) }, /"event"/],
        ['an inherited property name', { headers: JSON_HEADERS, body: withField(event, 'direction', 'toString') }, /"direction"/],
        ['unknown disposition name', { headers: JSON_HEADERS, body: withField(record, 'disposition', 'Missed') }, /"disposition"/],
        ['missing callId', { headers: JSON_HEADERS, body: without(event, 'callId') }, /"callId"/],
        ['missing srcPhone', { headers: JSON_HEADERS, body: without(event, 'srcPhone') }, /"srcPhone"/],
        ['missing dstPhone', { headers: JSON_HEADERS, body: without(record, 'dstPhone') }, /"dstPhone"/],
        ['negative duration', { headers: JSON_HEADERS, body: withField(record, 'duration', -1) }, /"duration"/],
        ['fractional duration', { headers: JSON_HEADERS, body: withField(record, 'duration', 1.5) }, /"duration"/],
        ['duration as a string', { headers: JSON_HEADERS, body: withField(record, 'duration', '120') }, /"duration"/],
        ['call without id', { headers: JSON_HEADERS, body: withField(record, 'call', { link: 'https://x/r.mp3' }) }, /"call\.id"/],
        ['an empty messageId', { headers: JSON_HEADERS, body: withField(record, 'messageId', '') }, /"messageId"/],
        ['a messageId that is not a string', { headers: JSON_HEADERS, body: withField(event, 'messageId', 42) }, /"messageId"/],
        ['an overlong messageId', { headers: JSON_HEADERS, body: withField(record, 'messageId', 'x'.repeat(513)) }, /"messageId"/],
    ];
    for (const [name, request, reason] of rejected) {
        it(`rejects ${name} with 400 and a reason`, async () => {
            const result = await elma.VoipParseWebhookRequest(request);
            assert.equal(result.event, undefined);
            assert.equal(result.callRecord, undefined);
            assert.equal(result.response?.statusCode, 400);
            const { error } = JSON.parse(result.response.body);
            assert.match(error, reason);
        });
    }
});

describe('calls to the bridge', () => {
    const requests = [];
    const fetched = [];
    let reply;
    let settings;
    let elma;
    let baseUrl;

    const server = http.createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
            requests.push({ method: req.method, url: req.url, headers: req.headers, body });
            const { status, json, text = '' } = reply;
            res.writeHead(status, json === undefined ? { 'Content-Type': 'text/html' } : { 'Content-Type': 'application/json' });
            res.end(json === undefined ? text : JSON.stringify(json));
        });
    });

    // ELMA365's fetch, made of Node's: same call shape, and a response with status, statusText, json(), text().
    async function elmaFetch(url, request = {}) {
        fetched.push(url);
        const response = await fetch(url, { method: request.method, headers: request.headers, body: request.body });
        const text = await response.text();
        return { status: response.status, statusText: response.statusText, text: async () => text, json: async () => JSON.parse(text) };
    }

    const only = () => {
        assert.equal(requests.length, 1);
        return requests[0];
    };

    before(async () => {
        await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
        baseUrl = `http://127.0.0.1:${server.address().port}/`; // the trailing slash is what admins paste
        settings = {};
        elma = loadModule(settings, elmaFetch);
    });
    after(() => {
        server.closeAllConnections();
        server.close();
    });
    beforeEach(() => {
        requests.length = 0;
        fetched.length = 0;
        reply = { status: 500, text: 'no reply set' };
        for (const key of Object.keys(settings)) delete settings[key];
        Object.assign(settings, { baseUrl, functionKey: 'fn-key-1' });
    });

    it('VoipGetMembers: GET /api/members with the function key, returns the list', async () => {
        reply = { status: 200, json: [{ id: '703', label: 'Alexey' }, { id: 'sales', label: 'Отдел продаж' }] };
        const members = await elma.VoipGetMembers();
        assert.deepEqual(plain(members), reply.json);
        const req = only();
        assert.equal(req.method, 'GET');
        assert.equal(req.url, '/api/members');
        assert.equal(req.headers['x-functions-key'], 'fn-key-1');
    });

    it('VoipGetMembers: a bridge error names the status and the bridge message', async () => {
        reply = { status: 502, json: { error: 'vats_unavailable', message: 'The PBX did not answer.' } };
        await assert.rejects(elma.VoipGetMembers(), (e) => /502/.test(e.message) && /The PBX did not answer\./.test(e.message));
    });

    it('VoipGetMembers: a list of the wrong shape is an error', async () => {
        reply = { status: 200, json: [{ id: 703, label: 'Alexey' }] };
        await assert.rejects(elma.VoipGetMembers(), /неожиданном виде/);
    });

    it('VoipGenerateCall: POST /api/calls with {srcPhone, dstPhone}', async () => {
        reply = { status: 200, json: { status: 'calling', callId: 'c-1' } };
        assert.equal(await elma.VoipGenerateCall('703', '+79101234567'), undefined);
        const req = only();
        assert.equal(req.method, 'POST');
        assert.equal(req.url, '/api/calls');
        assert.equal(req.headers['x-functions-key'], 'fn-key-1');
        assert.match(req.headers['content-type'], /^application\/json/);
        assert.deepEqual(JSON.parse(req.body), { srcPhone: '703', dstPhone: '+79101234567' });
    });

    it('VoipGenerateCall: a refusal throws the bridge message', async () => {
        reply = { status: 400, json: { error: 'invalid_field', message: 'dstPhone must be a phone number.', field: 'dstPhone' } };
        await assert.rejects(elma.VoipGenerateCall('703', 'abc'), /dstPhone must be a phone number\./);
    });

    it('VoipGenerateCall: a wrong function key (401) points at the setting', async () => {
        reply = { status: 401, text: '' };
        await assert.rejects(elma.VoipGenerateCall('703', '79101234567'), /«Ключ функции» \(functionKey\)/);
    });

    it('VoipGetCallLink: a stored link needs no request', async () => {
        assert.equal(await elma.VoipGetCallLink({ id: 'c-1', link: 'https://vats/records/c-1.mp3' }), 'https://vats/records/c-1.mp3');
        assert.equal(fetched.length, 0);
    });

    it('VoipGetCallLink: 200 returns the link; the call id is URL-encoded', async () => {
        reply = { status: 200, json: { callId: 'c/1 x', link: 'https://vats/records/c-1.mp3' } };
        assert.equal(await elma.VoipGetCallLink({ id: 'c/1 x' }), 'https://vats/records/c-1.mp3');
        const req = only();
        assert.equal(req.method, 'GET');
        assert.equal(req.url, '/api/calls/c%2F1%20x/link');
        assert.equal(req.headers['x-functions-key'], 'fn-key-1');
    });

    it('VoipGetCallLink: 202 pending says, in Russian, to try later', async () => {
        reply = { status: 202, json: { callId: 'c-1', status: 'pending', message: 'not yet' } };
        await assert.rejects(elma.VoipGetCallLink({ id: 'c-1' }), /ещё не готова.*Попробуйте позже/);
    });

    it('VoipGetCallLink: 404 says there is no recording, with the bridge reason', async () => {
        reply = { status: 404, json: { error: 'no_recording', message: 'This call has no recording.' } };
        await assert.rejects(elma.VoipGetCallLink({ id: 'c-1' }), (e) => /Записи разговора нет/.test(e.message) && /This call has no recording\./.test(e.message));
    });

    it('VoipTestConnection: passes success through', async () => {
        reply = { status: 200, json: { success: true } };
        assert.deepEqual(plain(await elma.VoipTestConnection()), { success: true });
        assert.equal(only().url, '/api/connection-test');
        assert.equal(only().headers['x-functions-key'], 'fn-key-1');
    });

    it('VoipTestConnection: passes the bridge failReason through', async () => {
        reply = { status: 200, json: { success: false, failReason: 'АТС отклонила ключ' } };
        assert.deepEqual(plain(await elma.VoipTestConnection()), { success: false, failReason: 'АТС отклонила ключ' });
    });

    it('VoipTestConnection: 401 tells the admin to check the function key', async () => {
        reply = { status: 401, text: '' };
        const result = plain(await elma.VoipTestConnection());
        assert.equal(result.success, false);
        assert.match(result.failReason, /«Ключ функции» \(functionKey\)/);
    });

    it('VoipTestConnection: a non-JSON page tells the admin to check the address', async () => {
        reply = { status: 200, text: '<html>Your Azure Function App is up and running.</html>' };
        const result = plain(await elma.VoipTestConnection());
        assert.equal(result.success, false);
        assert.match(result.failReason, /\(baseUrl\)/);
    });

    it('VoipTestConnection: an unreachable bridge tells the admin to check the address', async () => {
        const closed = http.createServer();
        await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
        const port = closed.address().port;
        await new Promise((resolve) => closed.close(resolve));
        settings.baseUrl = `http://127.0.0.1:${port}`;
        const result = plain(await elma.VoipTestConnection());
        assert.equal(result.success, false);
        assert.match(result.failReason, /Мост не отвечает.*«Адрес моста \(Azure Functions\)» \(baseUrl\)/);
    });

    it('VoipOnWebhookUpdated: PUT /api/elma365/webhook {url} with the function key', async () => {
        reply = { status: 200, json: { status: 'registered', origin: 'https://company.elma365.ru', registeredAt: '2026-04-05T12:00:00+00:00' } };
        const url = 'https://company.elma365.ru/api/extensions/0f1e/script/webhook?token=new-token';
        assert.equal(await elma.VoipOnWebhookUpdated(url), undefined);
        const req = only();
        assert.equal(req.method, 'PUT');
        assert.equal(req.url, '/api/elma365/webhook');
        assert.equal(req.headers['x-functions-key'], 'fn-key-1');
        assert.match(req.headers['content-type'], /^application\/json/);
        assert.deepEqual(JSON.parse(req.body), { url });
    });

    it('VoipOnWebhookUpdated: an address the bridge refuses throws the bridge reason', async () => {
        reply = { status: 400, json: { error: 'invalid_field', message: 'url must be an https address.', field: 'url' } };
        await assert.rejects(elma.VoipOnWebhookUpdated('http://company.elma365.ru/hook'), (e) => /не принял новый адрес/.test(e.message) && /url must be an https address\./.test(e.message));
    });

    it('VoipOnWebhookUpdated: a wrong function key (401) points at the setting', async () => {
        reply = { status: 401, text: '' };
        await assert.rejects(elma.VoipOnWebhookUpdated('https://company.elma365.ru/hook'), /«Ключ функции» \(functionKey\)/);
    });

    it('a missing setting is named in Russian and nothing is sent', async () => {
        delete settings.functionKey;
        await assert.rejects(elma.VoipGetMembers(), /Не заполнена настройка модуля «Ключ функции» \(functionKey\)/);
        settings.functionKey = 'fn-key-1';
        settings.baseUrl = '  ';
        const result = plain(await elma.VoipTestConnection());
        assert.equal(result.success, false);
        assert.match(result.failReason, /«Адрес моста \(Azure Functions\)» \(baseUrl\)/);
        assert.equal(fetched.length, 0);
    });
});
