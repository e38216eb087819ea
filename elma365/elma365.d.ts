// The ELMA365 globals module.ts relies on: the subset of the platform's telephony API
// that the original MegaFon module script uses, typed as that script uses it. ELMA365
// provides all of these at run time, so this file is never pasted anywhere; it exists so
// `tsc -p elma365` can check module.ts before an admin pastes it.

/** Module settings, filled in on the module's «Настройки» page. */
declare const Namespace: {
    params: {
        data: {
            baseUrl?: string;
            functionKey?: string;
        };
    };
};

declare enum VoipWebhookEvent {
    NotifyStart,
    NotifyAnswer,
    NotifyEnd,
}

declare enum VoipCallDirection {
    In,
    Out,
}

declare enum VoipCallDisposition {
    Unknown,
    Answered,
    Busy,
    Cancel,
    NoAnswer,
}

/** Both the incoming webhook request and the options of an outgoing fetch. */
interface FetchRequest {
    method?: string;
    headers?: Record<string, string>;
    body?: string | object;
}

interface FetchResponse {
    status: number;
    statusText: string;
    json(): Promise<any>;
    text(): Promise<string>;
}

declare function fetch(url: string, request?: FetchRequest): Promise<FetchResponse>;

/** The HTTP answer ELMA365 sends back to whoever called the module webhook. */
declare class HttpResponse {
    status(code: number): HttpResponse;
    content(body: string): HttpResponse;
}

interface VoipTestConnectionResult {
    success: boolean;
    failReason?: string;
}

interface VoipMember {
    id: string;
    label: string;
}

/** A popup-card event. */
interface VoipWebhookRequest {
    event: VoipWebhookEvent;
    direction: VoipCallDirection;
    srcPhone: string;
    dstPhone: string;
    disposition: VoipCallDisposition;
    /** Newer platform versions group a call's events by it; older ones ignore it. */
    callId?: string;
}

/** A finished call for the history. There is no start-time field: ELMA365 dates the record itself. */
interface VoipCallRecord {
    srcPhone: string;
    dstPhone: string;
    direction: VoipCallDirection;
    duration: number;
    disposition: VoipCallDisposition;
    /** Stored by ELMA365 and handed back to VoipGetCallLink. */
    call: any;
    /** As on VoipWebhookRequest. */
    callId?: string;
}

interface VoipWebhookParseResult {
    event?: VoipWebhookRequest;
    callRecord?: VoipCallRecord;
    response?: HttpResponse;
}
