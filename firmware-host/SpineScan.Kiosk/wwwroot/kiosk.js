// The kiosk's small browser helpers. Positioning frames arrive as JPEG bytes over the circuit and are shown
// through blob URLs (no base64 inflation); framesReceived and framesShown count frames handed to the page and
// frames decoded, which the browser test reads.
window.spinescanKiosk = {
    framesReceived: 0,
    framesShown: 0,

    // Resolves once the frame is decoded, so the circuit sends the next one only then: the station's newest
    // frame replaces a waiting one on the server, and no decode the browser has started is thrown away by a
    // newer src (which on a busy machine would leave the picture frozen while the CPU decodes frames for nothing).
    async showFrame(img, jpeg) {
        if (!img) {
            return;
        }
        window.spinescanKiosk.framesReceived++;
        const previous = img.dataset.blobUrl;
        const url = URL.createObjectURL(new Blob([jpeg], { type: "image/jpeg" }));
        img.dataset.blobUrl = url;
        img.src = url;
        try {
            await img.decode();
            img.classList.add("has-frame");
            window.spinescanKiosk.framesShown++;
        } catch {
            // A frame that does not decode leaves the previous picture; the next frame replaces it.
        }
        // The element keeps the previous picture's decoded pixels; its URL is no longer needed.
        if (previous) {
            URL.revokeObjectURL(previous);
        }
    },

    setLanguage(tag) {
        document.documentElement.lang = tag;
    },
};

// A bar-code scanner types like a keyboard. When the pupil list is shown and no text field has the focus (the
// screener just tapped a button), the first key of a scan moves the focus to the code field, so no digit is lost.
document.addEventListener("keydown", (e) => {
    const scan = document.getElementById("scan-code");
    const active = document.activeElement;
    const typing = active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA" || active.isContentEditable);
    if (scan && !typing && e.key.length === 1 && e.key !== " " && !e.ctrlKey && !e.altKey && !e.metaKey) {
        scan.focus();
    }
}, true);
