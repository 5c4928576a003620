import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';

import { api } from '../api.js';
import type { Store } from '../live.js';
import { useStoreTick } from '../tick.js';
import { PatternInput } from './pattern-input.js';

const COLOURS = ['#2a7ab0', '#d9534f', '#5cb85c', '#f0ad4e', '#8e44ad', '#16a085'];
/** Stored points read per type when a chart is drawn. */
const HISTORY_POINTS = 1000;

/** uPlot wants one x axis: the series' own (x, y) tables are joined on their timestamps. */
function chartData(store: Store): { names: string[]; data: uPlot.AlignedData } {
  const names = [...store.series.keys()].sort();
  const tables = names.map((n) => {
    const s = store.series.get(n)!;
    return [s.x, s.y] as uPlot.AlignedData;
  });
  return { names, data: tables.length === 0 ? [[]] : uPlot.join(tables) };
}

/** Draws the store's series into `box`: new data on every tick, a new chart when the set of
 * series changed. */
function useUplot(box: { current: HTMLDivElement | null }, store: Store, version: number): void {
  const chart = useRef<{ plot: uPlot; names: string } | null>(null);
  useEffect(() => {
    if (box.current === null) return;
    const { names, data } = chartData(store);
    const key = names.join('\n');
    if (chart.current !== null && chart.current.names === key) {
      chart.current.plot.setData(data);
      return;
    }
    chart.current?.plot.destroy();
    const series = names.map((label, i) => ({
      label,
      stroke: COLOURS[i % COLOURS.length]!,
      spanGaps: true,
    }));
    const options = {
      width: Math.max(400, box.current.clientWidth),
      height: 360,
      series: [{}, ...series],
    };
    chart.current = { plot: new uPlot(options, data, box.current), names: key };
  }, [version]);
  useEffect(() => () => chart.current?.plot.destroy(), []);
}

/** A time-series chart of numeric JSON payloads (a number, or an object's `value`). */
export function ChartView({ store, onPatterns }: { store: Store; onPatterns: () => void }) {
  const version = useStoreTick(store);
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useUplot(box, store, version);
  const draw = async (patterns: string[]) => {
    store.chartPatterns = patterns;
    store.series.clear();
    onPatterns();
    try {
      const body = { type: 'timeseries', event_types: patterns, max_results: HISTORY_POINTS };
      const page = await api.query(body);
      for (const event of [...page.events].reverse()) store.addPoint(event);
      store.version++;
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section>
      <PatternInput
        name="chart-patterns"
        label="Chart types"
        action="Draw"
        initial={store.chartPatterns.join(', ')}
        onApply={(p) => void draw(p)}
      />
      {error !== null && <p class="error">{error}</p>}
      <p class="muted" data-testid="chart-points">
        {[...store.series.values()].reduce((n, s) => n + s.x.length, 0)} points
      </p>
      <div ref={box} class="chart" data-testid="chart" />
    </section>
  );
}
