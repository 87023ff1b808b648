<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>AnalysisWorker</name>
    <message>
        <source>the model could not be opened</source>
        <translation>le modèle n&apos;a pas pu être ouvert</translation>
    </message>
    <message>
        <source>Heatmap failed for {name}: {reason}</source>
        <translation>Échec de la carte thermique pour {name} : {reason}</translation>
    </message>
    <message>
        <source>The report could not be written: {error}</source>
        <translation>Le rapport n&apos;a pas pu être écrit : {error}</translation>
    </message>
    <message>
        <source>The DICOM results could not be written: {error}</source>
        <translation>Les résultats DICOM n&apos;ont pas pu être écrits : {error}</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>Export annulé.</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>Impossible d&apos;écrire {path} : {reason}</translation>
    </message>
</context>
<context>
    <name>ClinicInputs</name>
    <message>
        <source>Cannot use the inbox {folder}: {reason}</source>
        <extracomment>The watched folder is polled this often, and a file taken once unchanged in this many polls in a row (the ``watch`` command&apos;s defaults: a film that has rested 4–6 s).</extracomment>
        <translation>Impossible d&apos;utiliser la boîte de réception {folder} : {reason}</translation>
    </message>
    <message>
        <source>Cannot listen on {address}: {reason}</source>
        <translation>Impossible d&apos;écouter sur {address} : {reason}</translation>
    </message>
    <message>
        <source>Cannot watch {folder}: it is not a folder</source>
        <translation>Impossible de surveiller {folder} : ce n&apos;est pas un dossier</translation>
    </message>
    <message>
        <source>Cannot read the watched folder {folder}: {reason}</source>
        <translation>Impossible de lire le dossier surveillé {folder} : {reason}</translation>
    </message>
</context>
<context>
    <name>DropHint</name>
    <message>
        <source>Drop chest X-ray images or folders here
(PNG, JPEG, BMP, TIFF, DICOM)

or use File → Open files… / Open folder…</source>
        <translation>Déposez ici des radiographies thoraciques ou des dossiers
(PNG, JPEG, BMP, TIFF, DICOM)

ou utilisez Fichier → Ouvrir des fichiers… / Ouvrir un dossier…</translation>
    </message>
</context>
<context>
    <name>EngineOwner</name>
    <message>
        <source>The model could not be opened: {error}</source>
        <translation>Le modèle n&apos;a pas pu être ouvert : {error}</translation>
    </message>
</context>
<context>
    <name>FilmPresenter</name>
    <message>
        <source>Select a row to view the film.</source>
        <translation>Sélectionnez une ligne pour voir le cliché.</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>Chargement de {name}…</translation>
    </message>
    <message>
        <source>{name} · {width}×{height} · {format}, {bits} bit</source>
        <translation>{name} · {width}×{height} · {format}, {bits} bits</translation>
    </message>
    <message>
        <source>Cannot show this file: {reason}</source>
        <translation>Impossible d&apos;afficher ce fichier : {reason}</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Filter by file, patient, prediction or reason…</source>
        <translation>Filtrer par fichier, patient, prédiction ou motif…</translation>
    </message>
    <message>
        <source>Needs review only</source>
        <translation>À revoir seulement</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Tous les statuts</translation>
    </message>
    <message>
        <source>{shown} of {total} shown</source>
        <translation>{shown} sur {total} affichés</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CXR Screening</source>
        <extracomment>How the window&apos;s width is shared at start: the table takes what its decision columns need at 1280 pixels.</extracomment>
        <translation>CXR Screening</translation>
    </message>
    <message>
        <source>Looking for models…</source>
        <translation>Recherche des modèles…</translation>
    </message>
    <message>
        <source>Could not look for models: {error}</source>
        <translation>Impossible de rechercher les modèles : {error}</translation>
    </message>
    <message>
        <source>{count} model(s) available</source>
        <translation>{count} modèle(s) disponible(s)</translation>
    </message>
    <message>
        <source>No model installed</source>
        <translation>Aucun modèle installé</translation>
    </message>
    <message>
        <source>Busy: wait for the current job or cancel it.</source>
        <translation>Occupé : attendez la fin de la tâche en cours ou annulez-la.</translation>
    </message>
    <message>
        <source>No model is available: see the Model &amp; runtime tab.</source>
        <translation>Aucun modèle n&apos;est disponible : voir l&apos;onglet Modèle &amp; exécution.</translation>
    </message>
    <message>
        <source>Export results as CSV</source>
        <translation>Exporter les résultats en CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Échec de l&apos;export</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>Impossible d&apos;écrire {path} : {reason}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Enregistré : {path}</translation>
    </message>
    <message>
        <source>Export PDF report</source>
        <translation>Exporter le rapport PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export DICOM results into</source>
        <translation>Exporter les résultats DICOM dans</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échec</translation>
    </message>
</context>
<context>
    <name>ModelCardView</name>
    <message>
        <source>&lt;p&gt;No model loaded.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Aucun modèle chargé.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;Automatic routing: each film is scored by the model validated for its population below; a film none is validated for is not scored and is flagged for review.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;Orientation automatique : chaque cliché est évalué par le modèle validé pour sa population (ci-dessous) ; un cliché pour lequel aucun n&apos;est validé n&apos;est pas évalué et est signalé à revoir.&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;td&gt;none recorded&lt;/td&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;td&gt;aucune enregistrée&lt;/td&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>non précisé</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Intended use:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Usage prévu :&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Validated population:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Population validée :&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Trained on:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Entraîné sur :&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Labels:&lt;/b&gt; {labels}; &lt;b&gt;flags&lt;/b&gt; {flagged}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Étiquettes :&lt;/b&gt; {labels} ; &lt;b&gt;signale&lt;/b&gt; {flagged}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Test metrics of build {build}:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Résultats de test de la variante {build} :&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Limitations:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Limites :&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>not stated: films are never routed to this model automatically</source>
        <translation>non précisée : aucun cliché n&apos;est orienté automatiquement vers ce modèle</translation>
    </message>
    <message>
        <source>; never chosen automatically, only when asked for</source>
        <translation> ; jamais choisi automatiquement, seulement sur demande</translation>
    </message>
    <message>
        <source>{description} (sources: {sources}){routed}</source>
        <translation>{description} (sources : {sources}){routed}</translation>
    </message>
    <message>
        <source>Test films</source>
        <translation>Clichés de test</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Exactitude</translation>
    </message>
    <message>
        <source>ROC AUC</source>
        <translation>AUC ROC</translation>
    </message>
    <message>
        <source>sensitivity</source>
        <translation>sensibilité</translation>
    </message>
    <message>
        <source>specificity</source>
        <translation>spécificité</translation>
    </message>
    <message>
        <source>{label} {measure} at threshold {threshold:.3f}</source>
        <translation>{measure} pour {label} au seuil {threshold:.3f}</translation>
    </message>
    <message>
        <source>Recall {label}</source>
        <translation>Rappel {label}</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt; no figures in this card&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Contrôles de sécurité :&lt;/b&gt; aucun chiffre dans cette fiche&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt; figures in an older format: re-attach them with converters.safety_card&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Contrôles de sécurité :&lt;/b&gt; chiffres dans un ancien format : rattachez-les avec converters.safety_card&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Chest-film gate refused non-chest test images ({name}): {figure}</source>
        <translation>Le filtre des clichés thoraciques a refusé des images de test non thoraciques ({name}) : {figure}</translation>
    </message>
    <message>
        <source>wrongly refused real frontal films ({name}): {figure}</source>
        <translation>a refusé à tort de vrais clichés de face ({name}) : {figure}</translation>
    </message>
    <message>
        <source>source held out of fitting, {name}: refused {figure}</source>
        <translation>source exclue de l&apos;ajustement, {name} : refusés {figure}</translation>
    </message>
    <message>
        <source>Population check ({name}): {population}</source>
        <translation>Contrôle de population ({name}) : {population}</translation>
    </message>
    <message>
        <source>judged outside it ({name}): {figure}</source>
        <translation>jugés hors de celle-ci ({name}) : {figure}</translation>
    </message>
    <message>
        <source>source held out of fitting ({fold}), {name}: {figure}</source>
        <translation>source exclue de l&apos;ajustement ({fold}), {name} : {figure}</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Contrôles de sécurité :&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>{count} of {films}, {rate}</source>
        <translation>{count} sur {films}, {rate}</translation>
    </message>
    <message>
        <source>{counts} films</source>
        <translation>{counts} clichés</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n.d.</translation>
    </message>
    <message>
        <source>{value} (95% CI {low}–{high})</source>
        <translation>{value} (IC 95 % {low}–{high})</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Automatic (GPU if available)</source>
        <translation>Automatique (GPU si disponible)</translation>
    </message>
    <message>
        <source>GPU (fall back to CPU)</source>
        <translation>GPU (sinon CPU)</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>CPU uniquement</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>non chargé</translation>
    </message>
    <message>
        <source>Look for models again</source>
        <translation>Rechercher à nouveau les modèles</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Films go to</source>
        <translation>Clichés orientés vers</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Variante</translation>
    </message>
    <message>
        <source>Accelerator</source>
        <translation>Accélérateur</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Fils d&apos;exécution</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>Moteur d&apos;exécution</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Remarques</translation>
    </message>
    <message>
        <source>Automatic (by population)</source>
        <translation>Automatique (par population)</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;Refused&lt;/b&gt; {folder}: {error}&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;Refusé&lt;/b&gt; {folder} : {error}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Model folders searched: {folders}</source>
        <translation>Dossiers de modèles parcourus : {folders}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>each model&apos;s default build</source>
        <translation>variante par défaut de chaque modèle</translation>
    </message>
    <message>
        <source>{name} {version} ({build}): {population}</source>
        <translation>{name} {version} ({build}) : {population}</translation>
    </message>
    <message>
        <source>no stated population</source>
        <translation>aucune population indiquée</translation>
    </message>
    <message>
        <source>Each film goes to the model validated for its population; a film none is validated for is shown as not validated and flagged for review.</source>
        <translation>Chaque cliché va au modèle validé pour sa population ; un cliché pour lequel aucun n&apos;est validé est affiché comme non validé et signalé à revoir.</translation>
    </message>
    <message>
        <source>Every film is scored by this model; films outside its population are shown as not validated and flagged for review.</source>
        <translation>Chaque cliché est évalué par ce modèle ; les clichés hors de sa population sont affichés comme non validés et signalés à revoir.</translation>
    </message>
</context>
<context>
    <name>NoModelPage</name>
    <message>
        <source>Look for models again</source>
        <translation>Rechercher à nouveau les modèles</translation>
    </message>
    <message>
        <source>&lt;h2&gt;No screening model is installed&lt;/h2&gt;&lt;p&gt;This program needs a model bundle: a folder holding &lt;tt&gt;card.json&lt;/tt&gt; and a &lt;tt&gt;.tflite&lt;/tt&gt; file, provided by your program administrator.&lt;/p&gt;&lt;p&gt;To add one, copy the whole folder into &lt;b&gt;{user_folder}&lt;/b&gt; and press &lt;i&gt;Look for models again&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;Folders searched:&lt;/p&gt;&lt;ul&gt;{folders}&lt;/ul&gt;</source>
        <translation>&lt;h2&gt;Aucun modèle de dépistage n&apos;est installé&lt;/h2&gt;&lt;p&gt;Ce programme a besoin d&apos;un paquet de modèle : un dossier contenant &lt;tt&gt;card.json&lt;/tt&gt; et un fichier &lt;tt&gt;.tflite&lt;/tt&gt;, fourni par l&apos;administrateur de votre programme.&lt;/p&gt;&lt;p&gt;Pour en ajouter un, copiez le dossier entier dans &lt;b&gt;{user_folder}&lt;/b&gt; puis appuyez sur &lt;i&gt;Rechercher à nouveau les modèles&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;Dossiers parcourus :&lt;/p&gt;&lt;ul&gt;{folders}&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Bundles found but refused (damaged or incompatible):&lt;/p&gt;&lt;ul&gt;{items}&lt;/ul&gt;</source>
        <translation>&lt;p&gt;Paquets trouvés mais refusés (endommagés ou incompatibles) :&lt;/p&gt;&lt;ul&gt;{items}&lt;/ul&gt;</translation>
    </message>
</context>
<context>
    <name>ReceiveDialog</name>
    <message>
        <source>Receive from X-ray unit</source>
        <extracomment>DICOM&apos;s limit on an AE title (PS3.5 §6.2, AE value representation).</extracomment>
        <translation>Recevoir de l&apos;appareil de radiographie</translation>
    </message>
    <message>
        <source>Receive films from the X-ray unit and screen each one</source>
        <translation>Recevoir les clichés de l&apos;appareil de radiographie et analyser chacun</translation>
    </message>
    <message>
        <source>{address} (this computer only)</source>
        <translation>{address} (cet ordinateur seulement)</translation>
    </message>
    <message>
        <source>{address} (every network)</source>
        <translation>{address} (tous les réseaux)</translation>
    </message>
    <message>
        <source>any unit (e.g. DR_ROOM1, CR_ROOM2)</source>
        <translation>tout appareil (p. ex. DR_ROOM1, CR_ROOM2)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>AE title:</source>
        <translation>Titre AE :</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port :</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>Écouter sur :</translation>
    </message>
    <message>
        <source>Accept only units:</source>
        <translation>N&apos;accepter que les appareils :</translation>
    </message>
    <message>
        <source>Keep received films in:</source>
        <translation>Conserver les clichés reçus dans :</translation>
    </message>
    <message>
        <source>On the X-ray unit, add a storage destination with this AE title and port and this computer&apos;s address. 127.0.0.1 only accepts films from this computer: for the unit to reach it, listen on this computer&apos;s network address (or 0.0.0.0) and list the unit&apos;s own AE title above. DICOM is not encrypted: keep it on the clinic&apos;s network.</source>
        <translation>Sur l&apos;appareil de radiographie, ajoutez une destination de stockage avec ce titre AE, ce port et l&apos;adresse de cet ordinateur. 127.0.0.1 n&apos;accepte que les clichés venant de cet ordinateur : pour que l&apos;appareil l&apos;atteigne, écoutez sur l&apos;adresse réseau de cet ordinateur (ou 0.0.0.0) et indiquez ci-dessus le titre AE propre à l&apos;appareil. DICOM n&apos;est pas chiffré : gardez-le sur le réseau de la clinique.</translation>
    </message>
    <message>
        <source>Keep received films in</source>
        <translation>Conserver les clichés reçus dans</translation>
    </message>
</context>
<context>
    <name>ResultDetails</name>
    <message>
        <source>This result supports and does not replace a clinician&apos;s reading.</source>
        <translation>Ce résultat aide la lecture d&apos;un clinicien et ne la remplace pas.</translation>
    </message>
    <message>
        <source>Flagged for review at {value:.1%} or more</source>
        <translation>Signalé à revoir à partir de {value:.1%}</translation>
    </message>
    <message>
        <source>No film selected.</source>
        <translation>Aucun cliché sélectionné.</translation>
    </message>
    <message>
        <source>&lt;h3&gt;{status}&lt;/h3&gt;{reason}</source>
        <translation>&lt;h3&gt;{status}&lt;/h3&gt;{reason}</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#c25400&apos;&gt;NEEDS REVIEW&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#c25400&apos;&gt;À REVOIR&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Not flagged</source>
        <translation>Non signalé</translation>
    </message>
    <message>
        <source>&lt;br&gt;Image quality: {score:.0f} of 100</source>
        <translation>&lt;br&gt;Qualité d&apos;image : {score:.0f} sur 100</translation>
    </message>
    <message>
        <source>&lt;br&gt;Scored by {model}</source>
        <translation>&lt;br&gt;Évalué par {model}</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#666&apos;&gt;The model&apos;s output, not validated for this film: {prediction} ({confidence})&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#666&apos;&gt;Sortie du modèle, non validée pour ce cliché : {prediction} ({confidence})&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ResultsTableModel</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Not validated</source>
        <translation>Non validé</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Refusé</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation>À revoir</translation>
    </message>
    <message>
        <source>⚠ warning</source>
        <translation>⚠ avertissement</translation>
    </message>
    <message>
        <source>{status}: {reason}</source>
        <translation>{status} : {reason}</translation>
    </message>
    <message>
        <source>File</source>
        <extracomment>The columns after the label columns, in order (`column_of` gives their index).</extracomment>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Prédiction</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <source>P({label})</source>
        <translation>P({label})</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Status / reason</source>
        <translation>Statut / motif</translation>
    </message>
    <message>
        <source>Patient ID · name · study date (DICOM files)</source>
        <translation>ID patient · nom · date d&apos;examen (fichiers DICOM)</translation>
    </message>
    <message>
        <source>Why a film has no result, or what to keep in mind</source>
        <translation>Pourquoi un cliché n&apos;a pas de résultat, ou ce qu&apos;il faut garder à l&apos;esprit</translation>
    </message>
    <message>
        <source>Right-click to choose the columns shown</source>
        <translation>Clic droit pour choisir les colonnes affichées</translation>
    </message>
</context>
<context>
    <name>ScreeningWorker</name>
    <message>
        <source>The model could not be opened; see the Model &amp; runtime tab.</source>
        <translation>Le modèle n&apos;a pas pu être ouvert ; voir l&apos;onglet Modèle &amp; exécution.</translation>
    </message>
    <message>
        <source>The safety checks could not be opened, so nothing was screened: {error}</source>
        <translation>Les contrôles de sécurité n&apos;ont pas pu être ouverts : aucun cliché n&apos;a été analysé : {error}</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Model card</source>
        <translation>Fiche du modèle</translation>
    </message>
    <message>
        <source>Model &amp;&amp; runtime</source>
        <translation>Modèle &amp;&amp; exécution</translation>
    </message>
</context>
<context>
    <name>StatusArea</name>
    <message>
        <source>Cancel</source>
        <extracomment>How long a transient message stays (ms); 0 keeps it until the next one. The lights&apos; colours: grey off, green on, red failed.</extracomment>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Enregistré : {path}</translation>
    </message>
    <message>
        <source>Computing heatmap…</source>
        <translation>Calcul de la carte thermique…</translation>
    </message>
    <message>
        <source>Models (automatic by population): {names}</source>
        <translation>Modèles (automatique par population) : {names}</translation>
    </message>
    <message>
        <source>Model: {names}</source>
        <translation>Modèle : {names}</translation>
    </message>
    <message>
        <source>{models} · opening…</source>
        <translation>{models} · ouverture…</translation>
    </message>
    <message>
        <source>{models} · {runtime}</source>
        <translation>{models} · {runtime}</translation>
    </message>
    <message>
        <source> · GPU unavailable, running on CPU</source>
        <translation> · GPU indisponible, exécution sur CPU</translation>
    </message>
    <message>
        <source>Received films are kept in {folder}</source>
        <translation>Les clichés reçus sont conservés dans {folder}</translation>
    </message>
    <message>
        <source>Receiving stopped: {reason}</source>
        <translation>Réception arrêtée : {reason}</translation>
    </message>
    <message>
        <source>Watching stopped: {reason}</source>
        <translation>Surveillance arrêtée : {reason}</translation>
    </message>
    <message>
        <source>Not receiving</source>
        <translation>Pas de réception</translation>
    </message>
    <message>
        <source>Not watching a folder</source>
        <translation type="vanished">Aucun dossier surveillé</translation>
    </message>
    <message>
        <source>Receiving on {address}</source>
        <translation>Réception sur {address}</translation>
    </message>
    <message>
        <source>Watching {folder}</source>
        <translation>Surveillance de {folder}</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Writing DICOM results…</source>
        <translation>Écriture des résultats DICOM…</translation>
    </message>
    <message>
        <source>Looking for images…</source>
        <translation>Recherche des images…</translation>
    </message>
    <message>
        <source>{writing} {count}</source>
        <translation>{writing} {count}</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Rédaction du rapport…</translation>
    </message>
    <message>
        <source>Not watching</source>
        <translation>Pas de surveillance</translation>
    </message>
    <message>
        <source>{done} / {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source>Writing the report… {count}</source>
        <translation type="vanished">Rédaction du rapport… {count}</translation>
    </message>
    <message>
        <source>{count} · less than a minute left</source>
        <translation>{count} · moins d&apos;une minute restante</translation>
    </message>
    <message>
        <source>{count} · about {minutes} min left</source>
        <translation>{count} · environ {minutes} min restantes</translation>
    </message>
    <message>
        <source>{verb}: {done} of {total} file(s) · {flagged} need review ({not_validated} not validated) · {errors} error(s), {rejected} rejected · {resumed} resumed from earlier</source>
        <translation>{verb} : {done} sur {total} fichier(s) · {flagged} à revoir ({not_validated} non validé(s)) · {errors} erreur(s), {rejected} refusé(s) · {resumed} repris d&apos;avant</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>No image files found there.</source>
        <translation>Aucun fichier image trouvé ici.</translation>
    </message>
    <message>
        <source>Screening stopped</source>
        <translation>Dépistage interrompu</translation>
    </message>
    <message>
        <source>Model could not be opened</source>
        <translation>Le modèle n&apos;a pas pu être ouvert</translation>
    </message>
</context>
<context>
    <name>ViewerPanel</name>
    <message>
        <source>Select a row to view the film.</source>
        <extracomment>Overlays are rendered at most this large and scaled up by the view (they are smooth anyway).</extracomment>
        <translation>Sélectionnez une ligne pour voir le cliché.</translation>
    </message>
    <message>
        <source>Level (window center)</source>
        <translation>Niveau (centre de la fenêtre)</translation>
    </message>
    <message>
        <source>Window width</source>
        <translation>Largeur de fenêtre</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>Carte thermique</translation>
    </message>
    <message>
        <source>Occlusion sensitivity: warm areas are where hiding the film lowers the abnormal probability most.</source>
        <translation>Sensibilité à l&apos;occlusion : les zones chaudes sont celles où masquer le cliché fait le plus baisser la probabilité d&apos;anomalie.</translation>
    </message>
    <message>
        <source>Reset window</source>
        <translation>Réinitialiser la fenêtre</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajuster</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>Largeur</translation>
    </message>
    <message>
        <source>Wheel: zoom · drag: pan · right-drag: window/level · double-click: fit</source>
        <translation>Molette : zoom · glisser : déplacer · glisser avec le bouton droit : fenêtre/niveau · double-clic : ajuster</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;File</source>
        <extracomment>Qt&apos;s translate under a short name that pyside6-lupdate still reads (it needs the context literally).</extracomment>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>Open &amp;files…</source>
        <translation>Ouvrir des &amp;fichiers…</translation>
    </message>
    <message>
        <source>Open f&amp;older…</source>
        <translation>Ouvrir un d&amp;ossier…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Exporter en &amp;CSV…</translation>
    </message>
    <message>
        <source>Export &amp;PDF report…</source>
        <translation>Exporter le rapport &amp;PDF…</translation>
    </message>
    <message>
        <source>Include patient fields in exports</source>
        <translation>Inclure les données patient dans les exports</translation>
    </message>
    <message>
        <source>Patient name, ID, birth date… from DICOM files: identifying data</source>
        <translation>Nom, ID, date de naissance du patient… des fichiers DICOM : données identifiantes</translation>
    </message>
    <message>
        <source>C&amp;lear results</source>
        <translation>&amp;Effacer les résultats</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Show the heatmap of films that need review</source>
        <translation>Afficher la carte thermique des clichés à revoir</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>&amp;Colonnes</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>À &amp;propos</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Export &amp;DICOM results…</source>
        <translation>Exporter les résultats &amp;DICOM…</translation>
    </message>
    <message>
        <source>A structured report and a heatmap image per scored DICOM film, for the PACS</source>
        <translation>Un rapport structuré et une image de carte thermique par cliché DICOM évalué, pour le PACS</translation>
    </message>
    <message>
        <source>&amp;Clinic</source>
        <translation>&amp;Clinique</translation>
    </message>
    <message>
        <source>&amp;Receive from X-ray unit…</source>
        <translation>&amp;Recevoir de l&apos;appareil de radiographie…</translation>
    </message>
    <message>
        <source>&amp;Watch a folder…</source>
        <translation>&amp;Surveiller un dossier…</translation>
    </message>
    <message>
        <source>Screen each film that appears in a folder, once it is completely written</source>
        <translation>Analyser chaque cliché qui apparaît dans un dossier, une fois entièrement écrit</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>Open chest X-ray images</source>
        <extracomment>Qt&apos;s translate under a short name that pyside6-lupdate still reads (it needs the context literally).</extracomment>
        <translation>Ouvrir des radiographies thoraciques</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;All files (*)</source>
        <translation>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Open a folder of chest X-ray images</source>
        <translation>Ouvrir un dossier de radiographies thoraciques</translation>
    </message>
    <message>
        <source>Watch a folder for new films</source>
        <translation>Surveiller un dossier pour les nouveaux clichés</translation>
    </message>
    <message>
        <source>Log file</source>
        <translation>Fichier journal</translation>
    </message>
    <message>
        <source>Runtime log</source>
        <translation>Journal du moteur d&apos;exécution</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Résultats</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Dossier de données</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;CXR Screening&lt;/b&gt; flags chest X-rays that need a clinician&apos;s review. It works offline; images never leave this computer.&lt;/p&gt;&lt;p&gt;A result supports and does not replace a clinician&apos;s reading.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;CXR Screening&lt;/b&gt; signale les radiographies thoraciques qui doivent être revues par un clinicien. Il fonctionne hors ligne ; les images ne quittent jamais cet ordinateur.&lt;/p&gt;&lt;p&gt;Un résultat aide la lecture d&apos;un clinicien et ne la remplace pas.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About CXR Screening</source>
        <translation>À propos de CXR Screening</translation>
    </message>
    <message>
        <source>Export DICOM results</source>
        <translation>Exporter les résultats DICOM</translation>
    </message>
    <message>
        <source>There are no DICOM films to export: none of these results is a scored DICOM film. JPEG and PNG films have CSV and PDF results only.</source>
        <translation>Il n&apos;y a aucun cliché DICOM à exporter : aucun de ces résultats n&apos;est un cliché DICOM évalué. Les clichés JPEG et PNG n&apos;ont que des résultats CSV et PDF.</translation>
    </message>
    <message>
        <source>Choose a folder outside {folders}: films are taken from there, and the heatmap images would be screened as films.</source>
        <translation>Choisissez un dossier en dehors de {folders} : les clichés y sont pris, et les images de carte thermique y seraient analysées comme des clichés.</translation>
    </message>
</context>
<context>
    <name>languages</name>
    <message>
        <source>&amp;Language</source>
        <extracomment>One of `desktop.i18n.LANGUAGES`, or &quot;&quot; (`desktop.i18n.SYSTEM`) for the system&apos;s language.</extracomment>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>Takes effect when the app is next started</source>
        <translation>Prend effet au prochain démarrage de l&apos;application</translation>
    </message>
    <message>
        <source>System language ({language})</source>
        <translation>Langue du système ({language})</translation>
    </message>
</context>
<context>
    <name>pdf_report</name>
    <message>
        <source>Chest X-ray screening report</source>
        <translation>Rapport de dépistage par radiographie thoracique</translation>
    </message>
    <message>
        <source>This result supports and does not replace a clinician&apos;s reading.</source>
        <translation>Ce résultat aide la lecture d&apos;un clinicien et ne la remplace pas.</translation>
    </message>
    <message>
        <source>page {number} of {total}</source>
        <translation>page {number} sur {total}</translation>
    </message>
    <message>
        <source>automatic by population</source>
        <translation>automatique par population</translation>
    </message>
    <message>
        <source>one model for every film</source>
        <translation>un seul modèle pour tous les clichés</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Screened (ok)</source>
        <translation>Analysés (ok)</translation>
    </message>
    <message>
        <source>Not validated</source>
        <translation>Non validé</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Refusé</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erreurs</translation>
    </message>
    <message>
        <source>Flagged: needs review</source>
        <translation>Signalés : à revoir</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>Moteur d&apos;exécution</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Build file SHA-256</source>
        <translation>SHA-256 de la variante</translation>
    </message>
    <message>
        <source>Operating thresholds</source>
        <translation>Seuils de décision</translation>
    </message>
    <message>
        <source>Film</source>
        <translation>Cliché</translation>
    </message>
    <message>
        <source>Prediction: {label}  ({confidence})</source>
        <translation>Prédiction : {label}  ({confidence})</translation>
    </message>
    <message>
        <source>Model output, not validated for this film: {label}  ({confidence})</source>
        <translation>Sortie du modèle, non validée pour ce cliché : {label}  ({confidence})</translation>
    </message>
    <message>
        <source>NEEDS REVIEW (flagged at the model&apos;s operating threshold)</source>
        <translation>À REVOIR (signalé au seuil de décision du modèle)</translation>
    </message>
    <message>
        <source>NEEDS REVIEW</source>
        <translation>À REVOIR</translation>
    </message>
    <message>
        <source>Not flagged</source>
        <translation>Non signalé</translation>
    </message>
    <message>
        <source>Scored by: {model}</source>
        <translation>Évalué par : {model}</translation>
    </message>
    <message>
        <source>Image quality: {score} of 100</source>
        <translation>Qualité d&apos;image : {score} sur 100</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>Avertissement : {text}</translation>
    </message>
    <message>
        <source>Status: rejected</source>
        <translation>Statut : refusé</translation>
    </message>
    <message>
        <source>Status: error</source>
        <translation>Statut : erreur</translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="vanished">Erreur</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>Motif : {reason}</translation>
    </message>
    <message>
        <source>Patient / study (included at the user&apos;s request)</source>
        <translation>Patient / examen (inclus à la demande de l&apos;utilisateur)</translation>
    </message>
</context>
<context>
    <name>reasons</name>
    <message>
        <source>The file is a link that points to nothing.</source>
        <extracomment>Why a file has no result, by its reason code: `cxrcore.image.DecodeError` reasons, the scan&apos;s (``missing``, ``unreadable-folder``), the DICOM receiver&apos;s and the pipeline&apos;s own.</extracomment>
        <translation>Le fichier est un lien qui ne mène à rien.</translation>
    </message>
    <message>
        <source>The file cannot be opened: it may have been moved or deleted, or you may not have permission to read it.</source>
        <translation>Le fichier ne peut pas être ouvert : il a peut-être été déplacé ou supprimé, ou vous n&apos;avez pas le droit de le lire.</translation>
    </message>
    <message>
        <source>This is not an image file (a folder or a special file).</source>
        <translation>Ce n&apos;est pas un fichier image (c&apos;est un dossier ou un fichier spécial).</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Le fichier est vide.</translation>
    </message>
    <message>
        <source>The image is far too large to be a chest film.</source>
        <translation>L&apos;image est beaucoup trop grande pour être un cliché thoracique.</translation>
    </message>
    <message>
        <source>The image is too small to be a chest film.</source>
        <translation>L&apos;image est trop petite pour être un cliché thoracique.</translation>
    </message>
    <message>
        <source>The file holds several images; give one film per file.</source>
        <translation>Le fichier contient plusieurs images ; donnez un seul cliché par fichier.</translation>
    </message>
    <message>
        <source>The file is not an image this program can read.</source>
        <translation>Le fichier n&apos;est pas une image que ce programme sait lire.</translation>
    </message>
    <message>
        <source>The file is damaged or incomplete.</source>
        <translation>Le fichier est endommagé ou incomplet.</translation>
    </message>
    <message>
        <source>This installation cannot read DICOM files.</source>
        <translation>Cette installation ne sait pas lire les fichiers DICOM.</translation>
    </message>
    <message>
        <source>The DICOM file holds no image.</source>
        <translation>Le fichier DICOM ne contient aucune image.</translation>
    </message>
    <message>
        <source>The DICOM image is compressed in a format this installation cannot read.</source>
        <translation>L&apos;image DICOM est compressée dans un format que cette installation ne sait pas lire.</translation>
    </message>
    <message>
        <source>The DICOM image is not a single gray film.</source>
        <translation>L&apos;image DICOM n&apos;est pas un cliché unique en niveaux de gris.</translation>
    </message>
    <message>
        <source>The DICOM object received holds no film.</source>
        <translation>L&apos;objet DICOM reçu ne contient aucun cliché.</translation>
    </message>
    <message>
        <source>The file or folder does not exist.</source>
        <translation>Le fichier ou le dossier n&apos;existe pas.</translation>
    </message>
    <message>
        <source>The folder cannot be read.</source>
        <translation>Le dossier ne peut pas être lu.</translation>
    </message>
    <message>
        <source>There was not enough memory to open this file.</source>
        <translation>La mémoire était insuffisante pour ouvrir ce fichier.</translation>
    </message>
    <message>
        <source>The file could not be opened.</source>
        <translation>Le fichier n&apos;a pas pu être ouvert.</translation>
    </message>
    <message>
        <source>The model could not run on this film.</source>
        <translation>Le modèle n&apos;a pas pu s&apos;exécuter sur ce cliché.</translation>
    </message>
    <message>
        <source>This does not look like a frontal chest film.</source>
        <translation>Ceci ne ressemble pas à un cliché thoracique de face.</translation>
    </message>
    <message>
        <source>The picture is far wider or taller than a chest film.</source>
        <extracomment>The gate&apos;s cheap and structural checks, by how their English reason starts (`cxrcore.safety.gate`).</extracomment>
        <translation>L&apos;image est beaucoup plus large ou plus haute qu&apos;un cliché thoracique.</translation>
    </message>
    <message>
        <source>This looks like a colour photograph, not an X-ray film.</source>
        <translation>Ceci ressemble à une photographie en couleur, pas à un cliché radiographique.</translation>
    </message>
    <message>
        <source>The picture is almost blank.</source>
        <translation>L&apos;image est presque vide.</translation>
    </message>
    <message>
        <source>This looks like a drawing, a printed page or a graphic, not an X-ray film.</source>
        <translation>Ceci ressemble à un dessin, une page imprimée ou un graphique, pas à un cliché radiographique.</translation>
    </message>
    <message>
        <source>This looks like a document or a screenshot, not an X-ray film.</source>
        <translation>Ceci ressemble à un document ou à une capture d&apos;écran, pas à un cliché radiographique.</translation>
    </message>
    <message>
        <source>The two lung fields of a frontal chest film are not seen side by side. Is it a side view or another part of the body?</source>
        <translation>Les deux champs pulmonaires d&apos;un cliché thoracique de face ne sont pas visibles côte à côte. S&apos;agit-il d&apos;un cliché de profil ou d&apos;une autre partie du corps ?</translation>
    </message>
    <message>
        <source>This does not look like a frontal chest film. Is it an upright, front-view chest film?</source>
        <extracomment>The gate&apos;s models, by kind (their English reasons are `cxrcore.safety.gate.MODEL_REASONS`).</extracomment>
        <translation>Ceci ne ressemble pas à un cliché thoracique de face. S&apos;agit-il bien d&apos;un cliché thoracique de face, patient debout ?</translation>
    </message>
    <message>
        <source>This is unlike the chest films the program knows. Is it an upright, front-view chest film?</source>
        <translation>Ceci ne ressemble pas aux clichés thoraciques que le programme connaît. S&apos;agit-il bien d&apos;un cliché thoracique de face, patient debout ?</translation>
    </message>
    <message>
        <source>The film does not look like the patients this model was validated on.</source>
        <extracomment>Why the model that scored the film was not validated for it (one model asked for by name).</extracomment>
        <translation>Le cliché ne correspond pas aux patients sur lesquels ce modèle a été validé.</translation>
    </message>
    <message>
        <source>The patient&apos;s stated age is outside the ages this model was validated for.</source>
        <translation>L&apos;âge indiqué pour le patient est en dehors des âges pour lesquels ce modèle a été validé.</translation>
    </message>
    <message>
        <source>This model states no population it was validated for.</source>
        <translation>Ce modèle n&apos;indique aucune population pour laquelle il a été validé.</translation>
    </message>
    <message>
        <source>The film does not look like the patients any installed model was validated on, so it was not scored.</source>
        <extracomment>Why no installed model scored the film (automatic routing found none validated for it).</extracomment>
        <translation>Le cliché ne correspond pas aux patients sur lesquels les modèles installés ont été validés ; il n&apos;a donc pas été évalué.</translation>
    </message>
    <message>
        <source>No installed model was validated for the patient&apos;s stated age, so the film was not scored.</source>
        <translation>Aucun modèle installé n&apos;a été validé pour l&apos;âge indiqué pour le patient ; le cliché n&apos;a donc pas été évalué.</translation>
    </message>
    <message>
        <source>No installed model states the population it was validated for, so the film was not scored.</source>
        <translation>Aucun modèle installé n&apos;indique la population pour laquelle il a été validé ; le cliché n&apos;a donc pas été évalué.</translation>
    </message>
    <message>
        <source>Image quality is poor: the film may be blurred, noisy, heavily compressed or badly exposed. The result is less reliable; retake or rescan the film if you can.</source>
        <extracomment>Quality warnings (`cxrcore.safety.quality.QualityCheck.warn`), by how they start.</extracomment>
        <translation>La qualité d&apos;image est mauvaise : le cliché est peut-être flou, bruité, trop compressé ou mal exposé. Le résultat est moins fiable ; refaites le cliché ou numérisez-le à nouveau si vous le pouvez.</translation>
    </message>
    <message>
        <source>Details: {details}</source>
        <translation>Détails : {details}</translation>
    </message>
</context>
<context>
    <name>safety</name>
    <message>
        <source>Not validated for this film — read it yourself</source>
        <translation>Non validé pour ce cliché — lisez-le vous-même</translation>
    </message>
</context>
</TS>
