import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './components/App.js';
import { LangProvider } from './lang.js';

render(
  <LangProvider>
    <App />
  </LangProvider>,
  document.getElementById('app')!,
);
