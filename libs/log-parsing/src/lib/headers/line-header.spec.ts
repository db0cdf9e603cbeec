import { HeaderDetector, parseHeader, yearlessTime } from './line-header';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0); // 4 Dec 2026
const ctx = { now: NOW };
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

describe('raw-line headers', () => {
  it.each([
    // [format, line, time, body, extra fields]
    ['rfc5424', '<165>1 2026-03-01T10:00:00.123+01:00 ap-1 hostapd 42 ID47 [exampleSDID@32473 iut="3"] wlan0: AP-ENABLED', '2026-03-01T09:00:00.123Z', 'wlan0: AP-ENABLED', { host: 'ap-1', program: 'hostapd', pid: '42', level: 'notice' }],
    ['rfc5424', '<13>1 - - - - - - bare message', null, 'bare message', {}],
    ['rfc3164', '<30>Jun  3 10:30:01 ap-2f-a hostapd[42]: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: associated', '2026-06-03T10:30:01.000Z', 'wlan0: STA 02:00:00:00:00:01 IEEE 802.11: associated', { host: 'ap-2f-a', program: 'hostapd', pid: '42', level: 'info' }],
    ['rfc3164', 'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186', '2025-12-10T06:55:46.000Z', 'Invalid user webmaster from 173.234.31.186', { host: 'LabSZ', program: 'sshd' }],
    ['rfc3164', 'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0', '2026-06-14T15:16:01.000Z', 'authentication failure; logname= uid=0', { program: 'sshd(pam_unix)' }],
    ['iso8601', '2024-01-05T10:00:00Z web-1 nginx[7]: GET / 200', '2024-01-05T10:00:00.000Z', 'GET / 200', { host: 'web-1', program: 'nginx' }],
    ['iso8601', '2024-01-05 10:00:00.250 ERROR [main] payment failed for order 7', '2024-01-05T10:00:00.250Z', 'payment failed for order 7', { level: 'ERROR' }],
    ['epoch', '1539711583.521358: wlan0: CTRL-EVENT-CONNECTED', '2018-10-16T17:39:43.521Z', 'wlan0: CTRL-EVENT-CONNECTED', {}],
    ['epoch', '1700000000123 service started', '2023-11-14T22:13:20.123Z', 'service started', {}],
    ['hdfs', '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating', '2008-11-09T20:36:15.000Z', 'PacketResponder 1 for block blk_38865049064139660 terminating', { level: 'INFO', pid: '148' }],
    ['log4j-thread', '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster', '2015-10-18T18:01:47.978Z', 'Created MRAppMaster', { level: 'INFO' }],
    ['spark', '17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM, HUP, INT]', '2017-06-09T20:10:40.000Z', 'Registered signal handlers for [TERM, HUP, INT]', {}],
    ['log4j-dash', '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200', '2015-07-29T17:41:44.747Z', 'Notification time out: 3200', { program: 'FastLeaderElection@774' }],
    ['openstack', 'nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38101a0b - - -] 10.11.10.1 "GET /v2 HTTP/1.1"', '2017-05-16T00:00:00.008Z', '10.11.10.1 "GET /v2 HTTP/1.1"', {}],
    ['bgl', '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected', '2005-06-03T15:42:50.675Z', 'instruction cache parity error corrected', { level: 'INFO' }],
    ['hpc', '134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: Component is in the unavailable state', '2004-02-26T14:12:22.000Z', 'Component State Change: Component is in the unavailable state', {}],
    ['thunderbird', '- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root', '2005-11-09T20:01:01.000Z', 'session closed for user root', {}],
    ['windows-cbs', '2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505', '2016-09-28T04:30:30.000Z', 'Loaded Servicing Stack v6.1.7601.23505', { level: 'Info', program: 'CBS' }],
    ['logcat', '03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs', '2026-03-17T16:13:38.811Z', 'printFreezingDisplayLogs', { level: 'D', program: 'WindowManager' }],
    ['healthapp', '20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579', '2017-12-23T22:15:29.606Z', 'onStandStepChanged 3579', { program: 'Step_LSC' }],
    ['apache-error', '[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties', '2005-12-04T04:47:44.000Z', 'workerEnv.init() ok /etc/httpd/conf/workers2.properties', { level: 'notice' }],
    ['proxifier', '[10.30 16:49:06] chrome.exe *64 - proxy.cse.cuhk.edu.hk:5070 open through proxy', '2026-10-30T16:49:06.000Z', 'proxy.cse.cuhk.edu.hk:5070 open through proxy', { program: 'chrome.exe *64' }],
    ['logread', 'Mon Jun 14 15:16:01 2021 daemon.info hostapd: wlan0: AP-ENABLED', '2021-06-14T15:16:01.000Z', 'wlan0: AP-ENABLED', { level: 'info', program: 'hostapd' }],
  ])('%s: %s', (format, line, time, body, extra) => {
    const h = parseHeader(line, ctx);
    expect(h.format).toBe(format);
    expect(iso(h.time)).toBe(time);
    expect(h.body).toBe(body);
    expect(h).toMatchObject(extra);
  });

  it('dates a yearless stamp no more than a day ahead of now', () => {
    // a `Jun  3` line read on 4 Dec 2026 is this year's, not 2027's
    expect(iso(yearlessTime(NOW, 5, 3, 10, 30, 1))).toBe('2026-06-03T10:30:01.000Z');
    // a `Dec 31` line read on 1 Jan is last year's; a `Dec 5` line read late on 4 Dec is tomorrow, which a skewed clock allows
    expect(iso(yearlessTime(Date.UTC(2027, 0, 1, 0, 5), 11, 31, 23, 59, 0))).toBe('2026-12-31T23:59:00.000Z');
    expect(iso(yearlessTime(NOW, 11, 5, 1, 0, 0))).toBe('2026-12-05T01:00:00.000Z');
    expect(iso(yearlessTime(NOW, 11, 6, 13, 0, 0))).toBe('2025-12-06T13:00:00.000Z');
  });

  it('gives a line with no known header no time and the whole line as its body', () => {
    expect(parseHeader('just some text here', ctx)).toEqual({ time: null, body: 'just some text here', format: 'none' });
  });

  it('learns a source’s format from its first lines and keeps it (in its saved state too); a line that does not fit is read on its own', () => {
    const d = new HeaderDetector(null, { now: () => NOW, sampleLines: 3 });
    for (let i = 0; i < 3; i++) d.read(`Dec 10 06:55:4${i} LabSZ sshd[1]: Failed password for root`);
    expect(d.toJSON().format).toBe('rfc3164');
    expect(d.read('2024-01-05T10:00:00Z a stray ISO line').format).toBe('iso8601');
    const restored = new HeaderDetector(d.toJSON(), { now: () => NOW });
    expect(restored.read('Dec 10 07:00:00 LabSZ sshd[2]: Accepted password for alice')).toMatchObject({ format: 'rfc3164', body: 'Accepted password for alice' });
  });
});
