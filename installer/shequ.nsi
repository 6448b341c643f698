;; 社区网格治理工作台 — Windows installer (NSIS 3, Unicode, Modern UI 2, Simplified Chinese).
;;
;; Build (normally through installer/build.py, which passes the defines):
;;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DSRCDIR=C:\path\to\dist\shequ -DOUTFILE=C:\path\to\setup.exe installer\shequ.nsi
;; SRCDIR is the PyInstaller one-folder build (shequ.exe, shequ-cli.exe, _internal\).
;;
;; Installs per machine into "Program Files\ShequWorkbench" (admin rights), with a Start-menu folder and a
;; desktop shortcut "社区网格治理工作台". The uninstaller removes only the program files it installed:
;; the users' data folders (%LOCALAPPDATA%\Shequ\ShequWorkbench: database, backups, logs) are KEPT.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef SRCDIR
  !error "SRCDIR is not defined: pass -DSRCDIR=<PyInstaller dist folder> (see installer/build.py)"
!endif
!ifndef OUTFILE
  !define OUTFILE "ShequWorkbench-${VERSION}-setup.exe"
!endif

!define APPNAME "社区网格治理工作台"
!define APPID "ShequWorkbench"
!define PUBLISHER "社区网格治理工作台项目组"
!define EXE "shequ.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define DATA_HINT "%LOCALAPPDATA%\Shequ\ShequWorkbench"

Name "${APPNAME}"
Caption "${APPNAME} ${VERSION} 安装程序"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPID}"
InstallDirRegKey HKLM "Software\${APPID}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"

;; ------------------------------------------------------------------ pages
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "欢迎安装${APPNAME}"
!define MUI_WELCOMEPAGE_TEXT "本程序将在这台电脑上安装${APPNAME} ${VERSION}。$\r$\n$\r$\n程序安装在 Program Files 中，供本机所有用户使用；每位用户的数据（数据库、备份、日志）保存在各自的用户数据文件夹中。$\r$\n$\r$\n点击“下一步”继续。"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即运行${APPNAME}"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "${APPNAME}已卸载"
!define MUI_FINISHPAGE_TEXT "程序文件已删除。$\r$\n$\r$\n您的数据没有删除，仍保存在 ${DATA_HINT}（数据库、备份和日志）。重新安装后可以继续使用；确定不再需要时可手动删除该文件夹。"
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "SimpChinese"

VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "${PUBLISHER}"

;; ------------------------------------------------------------------ install
Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APPNAME}需要 64 位 Windows（Windows 10 或更高版本）。"
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "主程序" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; files of an older version must not linger next to the new ones
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKLM "Software\${APPID}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

;; ------------------------------------------------------------------ uninstall
Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "Uninstall"
  Delete "$DESKTOP\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"

  ; only what the installer put there: never RMDir /r "$INSTDIR" (it may be a folder the user chose)
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\shequ.exe"
  Delete "$INSTDIR\shequ-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  DeleteRegKey HKLM "${UNINST_KEY}"
  DeleteRegKey HKLM "Software\${APPID}"

  ; The users' data (SQLite database, verified backups, logs) is deliberately kept.
  DetailPrint "已保留用户数据：${DATA_HINT}"
SectionEnd
