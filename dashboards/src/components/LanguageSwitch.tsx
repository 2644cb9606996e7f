import { useLang } from '../lang.js';
import type { Lang } from '../types.js';

const choices: { lang: Lang; label: string }[] = [
  { lang: 'sv', label: 'Svenska' },
  { lang: 'en', label: 'English' },
];

/** Two real buttons; the chosen one is pressed. Each names itself in its own language. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useLang();
  return (
    <div class="lang-switch" role="group" aria-label={t('language')}>
      {choices.map((c) => (
        <button
          type="button"
          class="secondary"
          lang={c.lang}
          aria-pressed={lang === c.lang}
          onClick={() => setLang(c.lang)}
        >
          {c.label}
        </button>
      ))}
    </div>
  );
}
