import { measureHttp } from './bench/http-throughput.ts';
const r = await measureHttp({ store: 'sqlite', durationSeconds: 3, warmupSeconds: 1, connections: 20, syncRuns: 50 });
console.log(JSON.stringify(r).slice(0, 1500));
