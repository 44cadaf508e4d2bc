import { DesktopSettings } from './features/desktop';
import { UpdatesSection } from './features/updates';

// Settings: one section per feature, each its own component.

export function SettingsView() {
  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <UpdatesSection />
      <DesktopSettings />
    </section>
  );
}
