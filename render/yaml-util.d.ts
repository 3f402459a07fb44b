// `yaml/util` is in yaml's package exports; this repository's moduleResolution ("node") reads
// only the top-level types, so the subpath's declarations are re-exported here.
declare module 'yaml/util' {
  export { stringifyString } from 'yaml/dist/util';
}
