"""DICOM networking on the clinic's LAN, and nothing beyond it (pynetdicom, imported only here).

- `desktop.network.receiver` — the Storage SCP the X-ray unit or PACS sends films to (``receive``).
- `desktop.network.sender` — the C-STORE SCU that stores the DICOM results on an archive (``--send-to``).

The rest of the app opens no connection; these modules are loaded only by the commands that use them.
"""
