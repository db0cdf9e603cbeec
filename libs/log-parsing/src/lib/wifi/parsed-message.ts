import { WifiEventType, WifiLevel, WifiMeaning, WifiOutcome, WifiSignal } from './wifi-event';

/** What a dialect's rules read from one message body, before the parser adds time, host and AP identity. */
export interface ParsedWifiMessage {
  /** Stable name of the rule that matched; becomes the event's template id. */
  key: string;
  type: WifiEventType;
  outcome?: WifiOutcome;
  /** Default: `failure` when the outcome is a failure or timeout, else `lifecycle`. */
  meaning?: WifiMeaning;
  level?: WifiLevel;
  station?: string;
  bssid?: string;
  ssid?: string;
  interface?: string;
  /** AP name when the message itself names the AP (controllers do). */
  ap?: string;
  reasonCode?: number;
  statusCode?: number;
  detail?: string;
  state?: { from: string; to: string };
  signal?: WifiSignal;
}

// Interface names of Linux WiFi drivers and OpenWrt: `wlan0`, `wlan1mon`, `wlp3s0`, `phy0-ap0`, `ath0`, `ra0`, `br-lan`.
// A positive list, because `nl80211:` or `RADIUS:` also look like `<name>: ` at the start of a message.
const INTERFACE =
  /^(?:wlan|wlp|wlx|wl\d|ath\d|ra\d|rai\d|phy\d|apcli|rax\d|uap\d|mlan\d|p2p-|wifi\d|ap\d|br-|mon\.)[\w.-]*$/;

/** Splits hostapd's / wpa_supplicant's `<interface>: ` lead-in off a message. */
export function splitInterface(body: string): { iface?: string; text: string } {
  const colon = body.indexOf(': ');
  if (colon > 0 && INTERFACE.test(body.slice(0, colon))) {
    return { iface: body.slice(0, colon), text: body.slice(colon + 2) };
  }
  // `wlan1mon: AP-DISABLED ` ends with the event name and no text after the colon
  const bare = /^(\S+):\s*$/.exec(body);
  if (bare && INTERFACE.test(bare[1])) return { iface: bare[1], text: '' };
  return { text: body };
}

/** First integer after `name=` / `name: ` / `name ` in the text. */
export function intField(text: string, name: string): number | undefined {
  const m = new RegExp(String.raw`\b${name}[=: ]\s*\(?(-?\d+)`, 'i').exec(text);
  return m ? Number(m[1]) : undefined;
}
