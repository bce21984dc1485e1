// Keyboard through the review queue (a file of this server's, as the dashboard's content security policy asks).
// On a screening page N or J opens the next screening of the queue, P or K the previous one; on the queue page J and K
// move between the rows (Enter opens one). Keys typed into a field, or while a dialog is open, are left alone.
document.addEventListener('keydown', function (e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  var target = e.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  if (document.querySelector('.mud-dialog-container')) return;
  var key = e.key.toLowerCase();
  var step = key === 'n' || key === 'j' ? 1 : key === 'p' || key === 'k' ? -1 : 0;
  if (step === 0) return;
  var link = document.getElementById(step > 0 ? 'queue-next' : 'queue-prev');
  if (link) {
    if (link.tagName === 'A') { e.preventDefault(); link.click(); }
    return;
  }
  if (key !== 'j' && key !== 'k') return;
  var rows = Array.prototype.slice.call(document.querySelectorAll('#queue a[data-screening]'));
  if (rows.length === 0) return;
  var at = rows.indexOf(document.activeElement);
  var next = at < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, at + step));
  e.preventDefault();
  rows[next].focus();
});
