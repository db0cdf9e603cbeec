import type { LogRecordInput } from '@loglens/contracts';

/** hostapd / wpa_supplicant / WLC / 802.11 vocabulary: enough of it means WiFi logs. */
const WIFI = /\b(hostapd|wpa_supplicant|CTRL-EVENT-|IEEE 802\.11|802\.11|wlan\d|wl\d|ath\d|phy\d|STA [0-9a-f]{2}:|AP-STA-|WPA:|EAPOL|deauth|disassoc|RSSI|SNR|BSSID|SSID|%DOT11|apfMsConnTask|Roam)/i;

/** `?agent=auto`: WiFi when at least a fifth of a sample of the records look like WiFi logs, else the base agent. */
export function detectAgent(records: readonly LogRecordInput[]): 'wifi' | 'base' {
  const sample = records.slice(0, 200);
  const text = (r: LogRecordInput) => (typeof r === 'string' ? r : typeof r?.message === 'string' ? r.message : JSON.stringify(r));
  const hits = sample.filter((r) => WIFI.test(text(r))).length;
  return hits * 5 >= sample.length ? 'wifi' : 'base';
}
