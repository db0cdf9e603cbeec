// IEEE 802.11 reason codes (Std 802.11-2020 table 9-49) as in data/wifi/ieee80211_reason_codes.csv; a spec checks the
// two agree. Kept in code so the library needs no file access at run time.

/** Reason code → meaning, for the codes deauth/disassoc frames commonly carry. */
export const IEEE80211_REASON_CODES: Readonly<Record<number, string>> = {
  1: 'Unspecified reason',
  2: 'Previous authentication no longer valid',
  3: 'Deauthenticated because sending STA is leaving (or has left) IBSS or ESS',
  4: 'Disassociated due to inactivity',
  5: 'Disassociated because AP is unable to handle all currently associated STAs',
  6: 'Class 2 frame received from nonauthenticated STA',
  7: 'Class 3 frame received from nonassociated STA',
  8: 'Disassociated because sending STA is leaving (or has left) BSS',
  9: 'STA requesting (re)association is not authenticated with responding STA',
  10: 'Disassociated because the information in the Power Capability element is unacceptable',
  11: 'Disassociated because the information in the Supported Channels element is unacceptable',
  13: 'Invalid information element',
  14: 'Message integrity code (MIC) failure',
  15: '4-Way Handshake timeout',
  16: 'Group Key Handshake timeout',
  17: 'Information element in 4-Way Handshake different from (Re)Association Request/Probe Response/Beacon frame',
  18: 'Invalid group cipher',
  19: 'Invalid pairwise cipher',
  20: 'Invalid AKMP',
  21: 'Unsupported RSN information element version',
  22: 'Invalid RSN information element capabilities',
  23: 'IEEE 802.1X authentication failed',
  24: 'Cipher suite rejected because of the security policy',
  32: 'Disassociated for unspecified QoS-related reason',
  33: 'Disassociated because QAP lacks sufficient bandwidth for this QSTA',
  34: 'Disassociated because excessive number of frames need to be acknowledged but are not acknowledged (poor channel conditions)',
};

/**
 * Coarse groups of reason codes, the granularity features count at: a client walking away (`leaving`) is routine, an
 * idle timeout (`inactivity`) is routine at night, security failures and AP-side trouble (`ap-side`: overload, poor
 * channel, QoS) are what incidents look like.
 */
export type ReasonClass = 'leaving' | 'inactivity' | 'security' | 'ap-side' | 'unspecified';

/** Every {@link ReasonClass}, in feature order. */
export const REASON_CLASSES: readonly ReasonClass[] = ['leaving', 'inactivity', 'security', 'ap-side', 'unspecified'];

/** The meaning of a reason code, or undefined for codes outside the table. */
export function reasonMeaning(code: number | undefined): string | undefined {
  return code === undefined ? undefined : IEEE80211_REASON_CODES[code];
}

/** The class of a reason code; a missing or unknown code is `unspecified`. */
export function reasonClass(code: number | undefined): ReasonClass {
  switch (code) {
    case 3:
    case 8:
      return 'leaving';
    case 4:
      return 'inactivity';
    case 2:
    case 6:
    case 7:
    case 9:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18:
    case 19:
    case 20:
    case 21:
    case 22:
    case 23:
    case 24:
      return 'security';
    case 5:
    case 10:
    case 11:
    case 32:
    case 33:
    case 34:
      return 'ap-side';
    default:
      return 'unspecified';
  }
}
