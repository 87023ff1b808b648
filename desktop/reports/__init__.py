"""What leaves the app: the CSV table and the PDF batch report, written from `ScreenResult`s.
"""
