// ELMA365 telephony module API ("integration voip"), declared for `tsc -p elma365` from the
// platform's published TS SDK: tssdk.elma365.com (current) and its English twin
// tssdk.brix365.com, version 2026.4 (VoipCallDirection as listed under 2026.3). Written from what
// those pages say, not copied from them. Where the SDK publishes a name but not its shape or
// values, the comment says "not published" and the declaration is typed as module.ts uses it.
//
// ELMA365 provides all of this at run time; this file is never pasted anywhere.

// ---- Enumerations ----

/** What happened on the call: the platform opens, updates or closes the call page. Values not published. */
declare enum VoipWebhookEvent {
    /** A call starts: ringing at an operator (inbound) or dialled by one (outbound). */
    NotifyStart,
    /** The call was answered. */
    NotifyAnswer,
    /** The call is over. */
    NotifyEnd,
}

/** Which way the call goes, from the company's side. Values published. */
declare enum VoipCallDirection {
    /** A client calls an operator. */
    In = 'in',
    /** An operator calls a client. */
    Out = 'out',
    /** An operator calls another operator. */
    Internal = 'internal',
}

/** How the call ended. Values not published. */
declare enum VoipCallDisposition {
    Unknown,
    Answered,
    Busy,
    Cancel,
    NoAnswer,
}

// ---- HTTP ----

/**
 * The options of the global fetch, and the request the platform hands VoipParseWebhookRequest.
 * The SDK names the type; only the members module.ts uses are declared (the full shape is not
 * published with the telephony pages). The body of an incoming request is a string, or an
 * object when the platform parsed JSON already.
 */
interface FetchRequest {
    method?: string;
    headers?: Record<string, string>;
    body?: string | object;
}

/** The answer of the global fetch. Only the members module.ts uses; the full shape is not published with the telephony pages. */
interface FetchResponse {
    status: number;
    statusText: string;
    json(): Promise<any>;
    text(): Promise<string>;
}

declare function fetch(url: string, request?: FetchRequest): Promise<FetchResponse>;

/** The answer the platform sends whoever posted to the module webhook, built fluently: new HttpResponse().status(400).content('...'). */
declare class HttpResponse {
    status(code: number): HttpResponse;
    content(body: string): HttpResponse;
}

// ---- Results of the module's functions ----

/** What VoipTestConnection («Проверить подключение») returns. */
interface VoipTestConnectionResult {
    success: boolean;
    /** Shown to the admin when success is false. */
    failReason?: string;
}

/** One telephony user for the «Настроить» mapping onto ELMA365 users. */
interface VoipMember {
    /** The operator's number in the telephony: the platform matches it against srcPhone / dstPhone of events and records. */
    id: string;
    /** Shown in the mapping table. */
    label: string;
}

/**
 * A telephony event: the platform shows the call page to the operator in it. Which party is src
 * and which dst follows the direction: srcPhone is the caller (the client on an inbound call, the
 * operator on an outbound or internal one), dstPhone the callee (the operator on an inbound or
 * internal call, the client on an outbound one).
 */
interface VoipWebhookRequest {
    event: VoipWebhookEvent;
    direction: VoipCallDirection;
    disposition: VoipCallDisposition;
    srcPhone: string;
    dstPhone: string;
    /**
     * Groups a call's events into one call. Without it the platform matches events on
     * srcPhone, srcPhoneExt, dstPhone, dstPhoneExt and direction.
     */
    callId?: string;
    /** Newer versions: an extension behind the client's external srcPhone, for inbound calls only. */
    srcPhoneExt?: string;
    /** Newer versions: an extension behind the client's external dstPhone, for outbound calls only. */
    dstPhoneExt?: string;
}

/**
 * A finished call for the activity stream of the client's item (and, in newer versions, the call
 * page). src and dst as on VoipWebhookRequest. There is no start time: the platform dates the
 * record when it arrives.
 */
interface VoipCallRecord {
    direction: VoipCallDirection;
    disposition: VoipCallDisposition;
    srcPhone: string;
    dstPhone: string;
    /** Seconds. */
    duration: number;
    /** Anything the module wants back: the platform stores it and hands it to VoipGetCallLink. */
    call: any;
    /** As on VoipWebhookRequest. */
    callId?: string;
    /** As on VoipWebhookRequest. */
    srcPhoneExt?: string;
    /** As on VoipWebhookRequest. */
    dstPhoneExt?: string;
}

/** What VoipParseWebhookRequest returns: an event, a record, and/or the HTTP answer for the caller. */
interface VoipWebhookParseResult {
    event?: VoipWebhookRequest;
    callRecord?: VoipCallRecord;
    response?: HttpResponse;
}

// ---- The module's functions the platform calls ----

/**
 * The functions a telephony module's script defines. The platform calls the first five;
 * VoipOnWebhookUpdated is optional and called when the module's webhook address changes (for
 * example when the platform refreshes the token in it), with the new address.
 */
interface VoipModuleFunctions {
    /** «Проверить подключение». */
    VoipTestConnection(): Promise<VoipTestConnectionResult>;
    /** Every request posted to the module's webhook address. */
    VoipParseWebhookRequest(request: FetchRequest): Promise<VoipWebhookParseResult>;
    /** «Настроить»: the telephony users to map onto ELMA365 users. */
    VoipGetMembers(): Promise<VoipMember[]>;
    /** Click-to-call: srcPhone is the operator's VoipMember.id, dstPhone the number to call. */
    VoipGenerateCall(srcPhone: string, dstPhone: string): Promise<void>;
    /** The recording of a call, from the `call` data of its VoipCallRecord. */
    VoipGetCallLink(callData: any): Promise<string>;
    VoipOnWebhookUpdated?(webhookUrl: string): Promise<void>;
}

// ---- Module settings ----

/**
 * The module's settings («Настройки»). The telephony pages do not publish this object; these are
 * the two fields this module's setup adds (docs/setup.ru.md).
 */
declare const Namespace: {
    params: {
        data: {
            baseUrl?: string;
            functionKey?: string;
        };
    };
};
