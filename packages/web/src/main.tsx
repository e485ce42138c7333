import { render } from 'preact';
import { App } from './app';
import './styles.css';
import 'virtual:ansi-palette.css';

render(<App />, document.getElementById('app')!);
