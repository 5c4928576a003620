import { render } from 'preact';
import { useState } from 'preact/hooks';

import { LiveSocket, Store } from './live.js';
import { ChartView } from './views/chart.js';
import { HistoryView } from './views/history.js';
import { LatestView } from './views/latest.js';
import { LiveView } from './views/live.js';
import { RegisterView } from './views/register.js';
import { StatusView } from './views/status.js';
import './style.css';

const store = new Store();
const liveSocket = new LiveSocket(['*'], store.onLive);
const watchSocket = new LiveSocket(['*'], store.onWatch);

const tabs = {
  live: 'Live',
  latest: 'Latest',
  chart: 'Chart',
  history: 'History',
  register: 'Register',
  status: 'Status',
} as const;
type Tab = keyof typeof tabs;

/** The union of the latest table's and the chart's patterns is what the watch socket takes. */
function watchPatterns(): void {
  watchSocket.setPatterns([...new Set([...store.latestPatterns, ...store.chartPatterns])]);
}

function App() {
  const initial = (location.hash.slice(1) || 'live') as Tab;
  const [tab, setTab] = useState<Tab>(initial in tabs ? initial : 'live');
  const select = (next: Tab) => {
    location.hash = next;
    setTab(next);
  };
  return (
    <>
      <header>
        <h1>eventum</h1>
        <nav>
          {(Object.keys(tabs) as Tab[]).map((key) => (
            <button
              key={key}
              class={key === tab ? 'tab active' : 'tab'}
              data-tab={key}
              onClick={() => select(key)}
            >
              {tabs[key]}
            </button>
          ))}
        </nav>
      </header>
      <main>
        {tab === 'live' && <LiveView store={store} socket={liveSocket} />}
        {tab === 'latest' && <LatestView store={store} onPatterns={watchPatterns} />}
        {tab === 'chart' && <ChartView store={store} onPatterns={watchPatterns} />}
        {tab === 'history' && <HistoryView />}
        {tab === 'register' && <RegisterView />}
        {tab === 'status' && <StatusView />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
