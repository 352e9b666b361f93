/** How a netifyd.conf value is checked. `list` keys are written `name[0]`, `name[1]`, … */
export type KeyKind = 'integer' | 'boolean' | 'string' | 'save_mode';

export interface KeySpec {
  readonly kind: KeyKind;
  readonly list?: boolean;
  /** Accepted for compatibility with netifyd but without effect here. */
  readonly ignored?: boolean;
}

const integer: KeySpec = { kind: 'integer' };
const boolean: KeySpec = { kind: 'boolean' };
const string: KeySpec = { kind: 'string' };
const ignoredString: KeySpec = { kind: 'string', ignored: true };
const ignoredInteger: KeySpec = { kind: 'integer', ignored: true };
const ignoredBoolean: KeySpec = { kind: 'boolean', ignored: true };

/**
 * Every key netifyd 5 (and the older spellings of v3/v4) reads from netifyd.conf, per
 * section. A key outside this table is a typo or a setting no netifyd version has, and is
 * refused with the file and key named.
 */
export const KNOWN_SECTIONS: Readonly<Record<string, Readonly<Record<string, KeySpec>>>> = {
  netifyd: {
    uuid: string,
    uuid_serial: string,
    uuid_site: string,
    path_state_persistent: string,
    path_state_volatile: string,
    path_persistent_state: string,
    path_volatile_state: string,
    path_shared_data: ignoredString,
    path_pid_file: string,
    path_plugins: string,
    path_domains: ignoredString,
    path_interfaces: string,
    path_categories: string,
    path_app_config: string,
    path_category_config: string,
    path_uuid: string,
    path_uuid_serial: string,
    path_uuid_site: string,
    update_interval: integer,
    update_imf: ignoredInteger,
    max_packet_queue_kb: integer,
    ssl_verify: ignoredBoolean,
    ssl_use_tlsv1: ignoredBoolean,
    max_capture_length: integer,
    max_detection_pkts: integer,
    syn_scan_protection: boolean,
    ttl_idle_flow: integer,
    ttl_idle_tcp_flow: integer,
    max_flows: integer,
    soft_dissectors: boolean,
    load_domains: ignoredBoolean,
    dotd_categories: boolean,
    auto_flow_expiry: boolean,
    auto_informatics: ignoredBoolean,
    flow_map_buckets: ignoredInteger,
    detection_threads: integer,
  },
  threads: { capture_base: ignoredInteger, conntrack: ignoredInteger, detection_base: ignoredInteger, detection_cores: integer },
  'capture-defaults': { read_timeout: ignoredInteger, capture_type: string },
  'capture-defaults-tpv3': {},
  'flow-hash-cache': { enable: ignoredBoolean, save: ignoredString, cache_size: ignoredInteger, purge_divisor: ignoredInteger },
  'dns-hint-cache': { enable: boolean, save: { kind: 'save_mode' }, ttl: integer, cache_size: integer },
  'privacy-filter': {
    mac: { kind: 'string', list: true },
    host: { kind: 'string', list: true },
    regex_search: { kind: 'string', list: true },
    regex_replace: { kind: 'string', list: true },
    private_external_addresses: boolean,
  },
  'netify-api': { enable_updates: ignoredBoolean, update_interval: ignoredInteger, url_api: ignoredString, vendor: ignoredString },
  socket: {
    listen_path: { kind: 'string', list: true },
    listen_address: { kind: 'string', list: true },
    listen_port: { kind: 'integer', list: true },
    dump_established_flows: boolean,
    dump_unknown_flows: boolean,
  },
};

/** v3/v4 spelled some sections with underscores; both spellings are accepted. */
export const SECTION_ALIASES: Readonly<Record<string, string>> = {
  dns_hint_cache: 'dns-hint-cache',
  flow_hash_cache: 'flow-hash-cache',
  privacy_filter: 'privacy-filter',
  netify_api: 'netify-api',
};

/** Sections whose keys are free-form (names chosen by the user). */
export function isFreeFormSection(name: string): boolean {
  return name === 'protocols' || name.startsWith('capture-interface-') || name === 'capture-defaults-tpv3';
}
