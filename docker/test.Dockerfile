# The test image: the official odoo:18.0 image plus a browser for the tours and the test tools.
# odoo:18.0 is Ubuntu 24.04, whose `chromium` package is only a snap stub that cannot run in a
# container, so the browser is Google Chrome's own package, as Odoo's runbot uses.
FROM odoo:18.0
USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ca-certificates poppler-utils \
    && curl -fsSLo /tmp/chrome.deb \
        https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb \
    && apt-get install -y --no-install-recommends /tmp/chrome.deb \
    && rm -rf /tmp/chrome.deb /var/lib/apt/lists/*
COPY requirements-test.txt requirements-oca.txt /tmp/
# OCA's wheels require the distribution `odoo`, which the image's Debian-packaged Odoo is not
RUN pip3 install --no-cache-dir --break-system-packages -r /tmp/requirements-test.txt \
    && pip3 install --no-cache-dir --break-system-packages --no-deps -r /tmp/requirements-oca.txt
USER odoo
