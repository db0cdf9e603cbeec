import { MAC_PATTERN, normalizeMac } from './wifi-event';
import { ParsedWifiMessage } from './parsed-message';

const MAC = `(${MAC_PATTERN})`;
const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;

// dnsmasq (OpenWrt's DHCP server): `DHCPDISCOVER(br-lan) <mac>`, `DHCPACK(br-lan) <ip> <mac> <name>`,
// `DHCPDISCOVER(br-lan) <mac> no address available`
const DNSMASQ = new RegExp(`^(DHCP[A-Z]+)\\(([^)]+)\\) (?:(${IPV4}) )?${MAC}(?: (.*))?$`);

/** Recognises DHCP server (dnsmasq) and client (udhcpc, dhclient) messages; null for anything else. */
export function parseDhcpMessage(text: string): ParsedWifiMessage | null {
  const m = DNSMASQ.exec(text);
  if (m) {
    const kind = m[1];
    const rest = m[5] ?? '';
    const station = normalizeMac(m[4]);
    const base = { key: `dhcp.${kind.toLowerCase()}`, type: 'dhcp' as const, station, interface: m[2], detail: kind };
    if (/no address available|no address range|ignored/.test(rest)) {
      return { ...base, key: 'dhcp.no-address', outcome: 'failure', level: 'warning' };
    }
    switch (kind) {
      case 'DHCPDISCOVER':
      case 'DHCPREQUEST':
        return { ...base, outcome: 'attempt' };
      case 'DHCPACK':
        return { ...base, outcome: 'success' };
      case 'DHCPNAK':
      case 'DHCPDECLINE':
        return { ...base, outcome: 'failure', level: 'warning' };
      default:
        return base;
    }
  }
  if (/^(?:udhcpc: )?sending (?:discover|select|renew)/.test(text) || /^DHCP(?:DISCOVER|REQUEST) on /.test(text)) {
    return { key: 'dhcp.client-request', type: 'dhcp', outcome: 'attempt' };
  }
  if (/^(?:udhcpc: )?lease of \S+ obtained|^bound to \S+|^DHCPACK (?:of|from) /.test(text)) {
    return { key: 'dhcp.client-bound', type: 'dhcp', outcome: 'success' };
  }
  if (/^(?:udhcpc: )?no lease, failing|^No DHCPOFFERS received|^DHCPNAK from /.test(text)) {
    return { key: 'dhcp.client-failed', type: 'dhcp', outcome: 'failure', level: 'warning' };
  }
  return null;
}
